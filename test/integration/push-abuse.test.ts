import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import { MAX_PUSH_ROWS } from '../../sync/protocol/replication';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { createClassSession } from '../../sync/platform/admin/class-sessions';
import { createSite } from '../../sync/platform/admin/sites';
import { createEnrolmentCode, enrolKiosk } from '../../sync/platform/enrolment';
import { httpCall } from '../support/http';
import { demoAttendance } from '../support/attendance';
import { startTestPlatform } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let sessionId: string;
let otherSiteSessionId: string;
let otherSiteKiosk: { kioskId: string; credential: string };

const push = (docs: unknown, auth = credential) =>
  httpCall(platform.url, 'POST', '/sync/attendance/push', Array.isArray(docs) ? docs.map((d: unknown) => ({ newDocumentState: d })) : docs, auth);

function attendance(learnerId: string, overrides: Partial<AttendanceRecord> = {}): AttendanceRecord {
  return demoAttendance(overrides.classSessionId ?? sessionId, learnerId, overrides);
}

async function count(table: string): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  credential = (await seedDemo(pool, null)).kioskCredential!;
  sessionId = (await createClassSession(pool, { siteId: DEMO_SITE_ID, title: 'a', startsAt: '2026-11-20T06:00:00Z', endsAt: '2026-11-20T08:00:00Z' })).id;
  await createSite(pool, { id: 'ZH-XIANGZHOU', name: '香洲' });
  otherSiteSessionId = (await createClassSession(pool, { siteId: 'ZH-XIANGZHOU', title: 'b', startsAt: '2026-11-20T06:00:00Z', endsAt: '2026-11-20T08:00:00Z' })).id;
  otherSiteKiosk = await enrolKiosk(pool, (await createEnrolmentCode(pool, 'ZH-XIANGZHOU')).code, 'zh');
});

afterAll(async () => {
  await platform?.close();
});

describe('pushes a platform must survive', () => {
  it('stores only the new records of a batch that replays stored ones, with no conflicts', async () => {
    expect((await push([attendance('P1'), attendance('P2')])).body).toEqual([]);
    const before = { attendance: await count('attendance'), ledger: await count('credit_ledger') };
    const replay = await push([attendance('P1'), attendance('P2'), attendance('P3'), attendance('P3')]);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual([]);
    expect(await count('attendance')).toBe(before.attendance + 1);
    expect(await count('credit_ledger')).toBe(before.ledger + 1);
  });

  it('returns the stored record as the conflict when a replay changes its facts', async () => {
    const changed = await push([attendance('P1', { method: 'manual' })]);
    expect(changed.body).toMatchObject([{ id: attendance('P1').id, method: 'scanner' }]);
  });

  it('refuses wrongly typed documents with 400 naming the field', async () => {
    for (const [field, value] of [['learnerId', 42], ['cardSerial', -1], ['deviceTime', 'yesterday'], ['method', 'telepathy']] as const) {
      const response = await push([{ ...attendance('P4'), [field]: value }]);
      expect(response.status).toBe(400);
      expect((response.body as { message: string }).message).toContain(field);
    }
    const extra = await push([{ ...attendance('P4'), hours: 100 }]);
    expect(extra.status).toBe(400);
    expect(await count(`attendance where learner_id = 'P4'`)).toBe(0);
  });

  it('refuses truncated, empty and over-long pushes with 400', async () => {
    expect((await push('[{"newDocumentState": {"id": "')).status).toBe(400);
    expect((await push('not json')).status).toBe(400);
    expect((await push({ newDocumentState: attendance('P5') })).status).toBe(400);
    const tooMany = Array.from({ length: MAX_PUSH_ROWS + 1 }, (_, i) => attendance(`M${i}`));
    expect((await push(tooMany)).status).toBe(400);
    expect(await count(`attendance where learner_id like 'M%'`)).toBe(0);
  });

  it('refuses out-of-scope pushes with 403 and writes none of the batch', async () => {
    const before = await count('attendance');
    const otherSession = await push([attendance('P6'), attendance('P7', { classSessionId: otherSiteSessionId })]);
    expect(otherSession.status).toBe(403);
    const otherSite = await push([attendance('P8', { siteId: 'ZH-XIANGZHOU' })]);
    expect(otherSite.status).toBe(403);
    const asOtherKiosk = await push([attendance('P9')], otherSiteKiosk.credential);
    expect(asOtherKiosk.status).toBe(403);
    expect(await count('attendance')).toBe(before);
  });

  it('refuses a push to a collection kiosks only read', async () => {
    const response = await httpCall(platform.url, 'POST', '/sync/credit_ledger/push', [], credential);
    expect(response.status).toBe(404);
  });

  it('never lets a kiosk pull another site’s attendance or sessions', async () => {
    const attendancePull = (await httpCall(platform.url, 'GET', '/sync/attendance/pull', undefined, otherSiteKiosk.credential)).body as { documents: unknown[] };
    expect(attendancePull.documents).toEqual([]);
    const sessions = (await httpCall(platform.url, 'GET', '/sync/class_sessions/pull', undefined, otherSiteKiosk.credential)).body as { documents: { id: string }[] };
    expect(sessions.documents.map((d) => d.id)).toEqual([otherSiteSessionId]);
  });
});
