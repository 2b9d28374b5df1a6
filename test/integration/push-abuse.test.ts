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
import { backdateKioskEnrolment, recentClassSession } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let sessionId: string;
let otherSiteSessionId: string;
let otherSiteKiosk: { kioskId: string; credential: string };

const push = (docs: unknown, auth = credential) =>
  httpCall(platform.url, 'POST', '/sync/attendance/push', Array.isArray(docs) ? docs.map((d: unknown) => ({ newDocumentState: d })) : docs, auth);

let during: string;

function attendance(learnerId: string, overrides: Partial<AttendanceRecord> = {}): AttendanceRecord {
  return demoAttendance(overrides.classSessionId ?? sessionId, learnerId, { method: 'manual', deviceTime: during, ...overrides });
}

async function count(table: string): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  credential = (await seedDemo(pool, null)).kioskCredential!;
  await backdateKioskEnrolment(pool);
  ({ id: sessionId, during } = await recentClassSession(pool, DEMO_SITE_ID));
  await createSite(pool, { id: 'ZH-XIANGZHOU', name: '香洲' });
  otherSiteSessionId = (await createClassSession(pool, { siteId: 'ZH-XIANGZHOU', title: 'b', startsAt: '2026-11-20T06:00:00Z', endsAt: '2026-11-20T08:00:00Z' })).id;
  otherSiteKiosk = await enrolKiosk(pool, (await createEnrolmentCode(pool, 'ZH-XIANGZHOU')).code, { kioskName: 'zh' });
});

afterAll(async () => {
  await platform?.close();
});

describe('pushes a platform must survive', () => {
  it('stores only the new records of a batch that replays stored ones, answering each row once with the stored record', async () => {
    const stored = (await push([attendance('GD2026000101'), attendance('GD2026000102')])).body as AttendanceRecord[];
    const before = { attendance: await count('attendance'), ledger: await count('credit_ledger') };
    const ids = ['GD2026000101', 'GD2026000102', 'GD2026000103', 'GD2026000103'].map((l) => attendance(l));
    const replay = await push(ids);
    expect(replay.status).toBe(200);
    const answers = replay.body as AttendanceRecord[];
    expect(answers.map((a) => a.learnerId)).toEqual(['GD2026000101', 'GD2026000102', 'GD2026000103']);
    expect(answers.slice(0, 2)).toEqual(stored);
    expect(await count('attendance')).toBe(before.attendance + 1);
    expect(await count('credit_ledger')).toBe(before.ledger + 1);
  });

  it('answers a replay that changes its facts with the stored record, unchanged', async () => {
    const changed = await push([attendance('GD2026000101', { method: 'camera' })]);
    expect(changed.body).toMatchObject([{ id: attendance('GD2026000101').id, method: 'manual' }]);
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
