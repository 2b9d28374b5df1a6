import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { mintKioskCredential } from '../../sync/platform/kiosk-credential';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform } from '../support/platform';
import { backdateKioskEnrolment, recentClassSession } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let otherCredential: string;
let sessionId: string;

function call(method: string, path: string, body?: unknown, auth = credential) {
  return httpCall(platform.url, method, path, body, auth);
}

let during: string;

function attendance(learnerId: string, overrides: Partial<AttendanceRecord> = {}): AttendanceRecord {
  return demoAttendance(sessionId, learnerId, { method: 'manual', deviceTime: during, ...overrides });
}

async function count(sql: string): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(sql);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await backdateKioskEnrolment(platform.database.pool);
  ({ id: sessionId, during } = await recentClassSession(platform.database.pool, DEMO_SITE_ID));
  // A second kiosk at the same site, to show two kiosks make one attendance record.
  const second = mintKioskCredential('KIOSK-DONGSHAN-2');
  otherCredential = second.credential;
  await platform.database.pool.query('insert into kiosks (id, site_id, name, token_hash) values ($1, $2, $3, $4)', [
    'KIOSK-DONGSHAN-2',
    DEMO_SITE_ID,
    'second',
    second.tokenHash,
  ]);
});

afterAll(async () => {
  await platform?.close();
});

describe('platform replication', () => {
  it('answers /health with JSON', async () => {
    const response = await fetch(`${platform.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('refuses requests without a valid kiosk credential', async () => {
    expect((await call('GET', '/sync/attendance/pull', undefined, 'nobody.secret')).status).toBe(401);
    expect((await call('GET', '/sync/attendance/pull', undefined, `${DEMO_KIOSK_ID}.wrong`)).status).toBe(401);
  });

  it('stores a pushed attendance once, with one ledger entry, and answers every replay with the stored record', async () => {
    const doc = attendance('GD2026000101');
    const answers: AttendanceRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const pushed = await call('POST', '/sync/attendance/push', [{ newDocumentState: doc, assumedMasterState: null }]);
      expect(pushed.status).toBe(200);
      answers.push(...(pushed.body as AttendanceRecord[]));
    }
    // The answer to a replay is the stored record, so a kiosk whose first answer was lost still learns it.
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatchObject({ id: doc.id, receivedAt: expect.any(String), serverSeq: expect.any(Number) });
    expect(answers[0]!.review).toBeUndefined();
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await count(`select count(*) as n from attendance where learner_id = 'GD2026000101'`)).toBe(1);
    expect(await count(`select count(*) as n from credit_ledger where learner_id = 'GD2026000101'`)).toBe(1);
    const { rows } = await platform.database.pool.query('select hours, status from credit_ledger where learner_id = $1', ['GD2026000101']);
    expect(Number(rows[0].hours)).toBe(2);
    expect(rows[0].status).toBe('provisional');
  });

  it('makes one record when two kiosks at the site check in the same learner', async () => {
    const first = attendance('GD2026000102');
    const second = attendance('GD2026000102', { kioskId: 'KIOSK-DONGSHAN-2', method: 'manual' });
    expect((await call('POST', '/sync/attendance/push', [{ newDocumentState: first }])).body).toMatchObject([{ id: first.id, kioskId: DEMO_KIOSK_ID }]);
    const again = await call('POST', '/sync/attendance/push', [{ newDocumentState: second }], otherCredential);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject([{ id: first.id, kioskId: DEMO_KIOSK_ID }]);
    expect(await count(`select count(*) as n from attendance where learner_id = 'GD2026000102'`)).toBe(1);
    expect(await count(`select count(*) as n from credit_ledger where learner_id = 'GD2026000102'`)).toBe(1);
  });

  it('pulls by checkpoint, then only what is newer', async () => {
    const first = await call('GET', '/sync/attendance/pull?limit=1');
    const page = first.body as { documents: AttendanceRecord[]; checkpoint: { seq: number } };
    expect(page.documents).toHaveLength(1);
    expect(page.documents[0]!.receivedAt).toBeDefined();
    const rest = await call('GET', `/sync/attendance/pull?seq=${page.checkpoint.seq}`);
    const restDocs = (rest.body as { documents: AttendanceRecord[] }).documents;
    expect(restDocs.map((d) => d.id)).not.toContain(page.documents[0]!.id);
    const ledger = await call('GET', '/sync/credit_ledger/pull');
    expect((ledger.body as { documents: unknown[] }).documents.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a malformed push with 400 naming the field, and writes nothing', async () => {
    const before = await count('select count(*) as n from attendance');
    const bad = await call('POST', '/sync/attendance/push', [
      { newDocumentState: attendance('GD2026000103') },
      { newDocumentState: { ...attendance('GD2026000104'), onRoster: 'yes' } },
    ]);
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/onRoster/);
    expect((await call('POST', '/sync/attendance/push', '{"truncated": [')).status).toBe(400);
    expect((await call('POST', '/sync/attendance/push', [])).status).toBe(400);
    expect(await count('select count(*) as n from attendance')).toBe(before);
  });

  it('rejects a push naming another kiosk with 403 and writes none of it', async () => {
    const before = await count('select count(*) as n from attendance');
    const response = await call('POST', '/sync/attendance/push', [
      { newDocumentState: attendance('GD2026000105') },
      { newDocumentState: attendance('GD2026000106', { kioskId: 'KIOSK-DONGSHAN-2' }) },
    ]);
    expect(response.status).toBe(403);
    expect(await count('select count(*) as n from attendance')).toBe(before);
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify([{ newDocumentState: { ...attendance('GD2026000107'), padding: 'x'.repeat(1_100_000) } }]);
    expect((await call('POST', '/sync/attendance/push', huge)).status).toBe(413);
  });
});
