import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSession } from '../../sync/protocol/class-session';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { importCourseManifest } from '../../sync/platform/admin/courses';
import { revokeCard } from '../../sync/platform/admin/cards';
import { setClassSessionStatus } from '../../sync/platform/admin/class-sessions';
import { withSyncWrite } from '../../sync/platform/database';
import { createIssuerKey, issueCardFor } from '../../sync/platform/issuer-keys';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { seedTwoSites, cardSerialOf, progressRecord, recentClassSession, testCourse } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let otherSite: { kioskId: string; credential: string };
let session: Awaited<ReturnType<typeof recentClassSession>>;
const kioskA = { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID };
const course = testCourse('trust-course', 4, 2, 600);
const ROSTER = ['GD2026000101', 'GD2026000102', 'GD2026000103', 'GD2026000104', 'GD2026000105', 'GD2026000106', 'GD2026000107'];

const sync = (method: string, path: string, body?: unknown, auth = credential) => httpCall(platform.url, method, path, body, auth);
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);
const pushAttendance = async (docs: AttendanceRecord[]) => sync('POST', '/sync/attendance/push', docs.map((d) => ({ newDocumentState: d })));
const pushProgress = async (docs: LessonProgress[], auth = credential) =>
  sync('POST', '/sync/lesson_progress/push', docs.map((d) => ({ newDocumentState: d })), auth);
const attendance = (learnerId: string, overrides: Partial<AttendanceRecord> = {}) =>
  demoAttendance(overrides.classSessionId ?? session.id, learnerId, { method: 'manual', deviceTime: session.during, ...overrides });

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}
const ledgerSize = () => count('select count(*) as n from credit_ledger');
const ledgerOf = (learnerId: string) => count('select count(*) as n from credit_ledger where learner_id = $1', [learnerId]);

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  ({ credential, otherSite } = await seedTwoSites(pool));
  session = await recentClassSession(pool, DEMO_SITE_ID, { roster: ROSTER });
  await importCourseManifest(pool, course);
});

afterAll(async () => {
  await platform?.close();
});

describe('attendance re-checked on upload', () => {
  it('credits a check-in that passes every check, with the card the platform issued', async () => {
    const serial = await cardSerialOf(platform.database.pool, 'GD2026000101');
    const pushed = await pushAttendance([attendance('GD2026000101', { method: 'scanner', cardSerial: serial })]);
    expect(pushed.status).toBe(200);
    expect((pushed.body as AttendanceRecord[])[0]!.review).toBeUndefined();
    expect(await ledgerOf('GD2026000101')).toBe(1);
  });

  const held: [string, string, () => Promise<AttendanceRecord>, string[]][] = [
    ['an unknown learner', 'GD9999999999', async () => attendance('GD9999999999'), ['unknown-learner', 'off-roster']],
    ['a card issued to another learner', 'GD2026000102', async () => attendance('GD2026000102', { method: 'camera', cardSerial: await cardSerialOf(platform.database.pool, 'GD2026000103') }), ['card-not-issued']],
    ['a card check-in without a card', 'GD2026000103', async () => attendance('GD2026000103', { method: 'scanner' }), ['card-not-issued']],
    ['an off-roster learner', 'GD2026000110', async () => attendance('GD2026000110'), ['off-roster']],
    ['a check-in after the class ended', 'GD2026000104', async () => attendance('GD2026000104', { deviceTime: new Date(session.endsAt.getTime() + 60_000).toISOString() }), ['outside-window']],
    ['a pre-dated check-in (before the kiosk existed)', 'GD2026000105', async () => attendance('GD2026000105', { deviceTime: '2001-01-01T00:00:00.000Z' }), ['outside-window', 'implausible-time']],
    ['a future-dated check-in', 'GD2026000106', async () => attendance('GD2026000106', { deviceTime: new Date(Date.now() + 86_400_000).toISOString() }), ['outside-window', 'implausible-time']],
  ];
  for (const [what, learnerId, make, reasons] of held) {
    it(`holds ${what} for review with its reason codes, and credits nothing`, async () => {
      const before = await ledgerSize();
      const doc = await make();
      const pushed = await pushAttendance([doc]);
      expect(pushed.status).toBe(200);
      expect(pushed.body).toMatchObject([{ id: doc.id, learnerId, receivedAt: expect.any(String), review: { status: 'held', reasons } }]);
      expect(await ledgerSize()).toBe(before);
      const stored = await platform.database.pool.query('select review_status from attendance where id = $1', [doc.id]);
      expect(stored.rows[0].review_status).toBe('held');
    });
  }

  it('holds a check-in with a card revoked before its device time as card-revoked', async () => {
    const serial = await cardSerialOf(platform.database.pool, 'GD2026000107');
    await revokeCard(platform.database.pool, serial);
    const before = await ledgerSize();
    // The device time is "now", after the revocation; the session is one that is running now.
    const running = await recentClassSession(platform.database.pool, DEMO_SITE_ID, { hoursAgo: -1, title: 'running' });
    const doc = attendance('GD2026000107', { classSessionId: running.id, method: 'scanner', cardSerial: serial, deviceTime: new Date().toISOString() });
    const pushed = await pushAttendance([doc]);
    expect(pushed.body).toMatchObject([{ review: { status: 'held', reasons: ['card-revoked'] } }]);
    expect(await ledgerSize()).toBe(before);
  });

  it('holds a check-in with a card signed by a key the platform has since retired as card-issuer-retired', async () => {
    const { pool } = platform.database;
    const seededSerial = await cardSerialOf(pool, 'GD2026000101');
    // A key that signed a card, then was retired while the kiosk was offline: the kiosk still verifies it.
    const card = await withSyncWrite(pool, async (client) => {
      await createIssuerKey(client, 'gd-2026-leaked');
      return issueCardFor(client, 'GD2026000101');
    });
    await withSyncWrite(pool, (client) => client.query(`update issuer_keys set status = 'retired', server_seq = next_sync_seq() where id = 'gd-2026-leaked'`));
    const open = await recentClassSession(pool, DEMO_SITE_ID, { title: 'after the key was retired' });
    const before = await ledgerSize();
    const doc = attendance('GD2026000101', { classSessionId: open.id, method: 'camera', cardSerial: card.serial, deviceTime: open.during });
    const pushed = await pushAttendance([doc]);
    expect(pushed.body).toMatchObject([{ review: { status: 'held', reasons: ['card-issuer-retired'] } }]);
    expect(await ledgerSize()).toBe(before);
    // The same learner's card from the key still in force is credited as before.
    const other = await recentClassSession(pool, DEMO_SITE_ID, { title: 'with the current key', hoursAgo: 4 });
    const current = attendance('GD2026000101', { classSessionId: other.id, method: 'camera', cardSerial: seededSerial, deviceTime: other.during });
    expect(((await pushAttendance([current])).body as AttendanceRecord[])[0]!.review).toBeUndefined();
  });

  it('answers a replay whose first answer was lost with the stored record, even after a pull brought it back', async () => {
    const doc = attendance('GD2026000102');
    const first = (await pushAttendance([doc])).body as AttendanceRecord[];
    // The answer is lost; the kiosk restarts and pulls the stored row, then RxDB replays the push.
    const pulled = (await sync('GET', '/sync/attendance/pull')).body as { documents: AttendanceRecord[] };
    expect(pulled.documents.find((d) => d.id === doc.id)).toEqual(first[0]);
    const before = await ledgerSize();
    const replay = await pushAttendance([doc]);
    expect(replay.body).toEqual(first);
    expect(await ledgerSize()).toBe(before);
  });

  it('refuses a poison row per row: the good rows of the batch are stored, the bad one is kept as received', async () => {
    const { pool } = platform.database;
    const deleted = await recentClassSession(pool, DEMO_SITE_ID, { title: 'cancelled' });
    await withSyncWrite(pool, (client) => client.query('update class_sessions set deleted = true, server_seq = next_sync_seq() where id = $1', [deleted.id]));
    const poison = attendance('GD2026000103', { classSessionId: deleted.id });
    const unknown = attendance('GD2026000104', { classSessionId: '0193a7c4-0000-7000-8000-000000000000' });
    const good = attendance('GD2026000107');
    const before = { ledger: await ledgerSize(), refusals: await count('select count(*) as n from sync_refusals') };
    const pushed = await pushAttendance([poison, good, unknown]);
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject([
      { id: poison.id, refusal: { reason: 'unknown-session' } },
      { id: good.id, receivedAt: expect.any(String) },
      { id: unknown.id, refusal: { reason: 'unknown-session' } },
    ]);
    expect((pushed.body as AttendanceRecord[])[0]!.receivedAt).toBeUndefined();
    expect(await ledgerSize()).toBe(before.ledger + 1);
    // Kept as received, once however often it is replayed, and listed for operators.
    await pushAttendance([poison]);
    expect(await count('select count(*) as n from sync_refusals')).toBe(before.refusals + 2);
    const refusals = (await admin('GET', `/admin/refusals?siteId=${DEMO_SITE_ID}`)).body as { recordId: string; reason: string; document: unknown }[];
    expect(refusals.find((r) => r.recordId === poison.id)).toMatchObject({ reason: 'unknown-session', document: poison });
    expect(await count('select count(*) as n from attendance where id = $1', [poison.id])).toBe(0);
  });
});

describe('the review queue', () => {
  it('lists held records with their reasons; approving credits under the daily cap, refusing credits nothing', async () => {
    const queue = (await admin('GET', `/admin/review?siteId=${DEMO_SITE_ID}`)).body as { id: string; learnerId: string; reasons: string[]; collection: string }[];
    const offRoster = queue.find((r) => r.learnerId === 'GD2026000110')!;
    expect(offRoster).toMatchObject({ collection: 'attendance', reasons: ['off-roster'] });
    expect((await admin('POST', `/admin/review/${offRoster.id}/approve`)).body).toMatchObject({ status: 'approved', creditedHours: 2 });
    expect(await ledgerOf('GD2026000110')).toBe(1);
    expect((await admin('POST', `/admin/review/${offRoster.id}/approve`)).status).toBe(409);
    // The kiosk pulls the verdict.
    const pulled = (await sync('GET', '/sync/attendance/pull')).body as { documents: AttendanceRecord[] };
    expect(pulled.documents.find((d) => d.id === offRoster.id)!.review).toEqual({ status: 'approved', reasons: ['off-roster'] });

    const futureDated = queue.find((r) => r.learnerId === 'GD2026000106')!;
    expect((await admin('POST', `/admin/review/${futureDated.id}/refuse`)).body).toMatchObject({ status: 'refused' });
    expect(await ledgerOf('GD2026000106')).toBe(0);
    expect((await admin('POST', '/admin/review/0193a7c4-0000-7000-8000-000000000001/approve')).status).toBe(404);
    // Only credited records go to the credit bank and the attendance report.
    const statements = ((await admin('GET', '/admin/xapi/statements')).body as { statements: { id: string }[] }).statements.map((st) => st.id);
    expect(statements).toContain(offRoster.id);
    expect(statements).not.toContain(futureDated.id);
    expect(await admin('GET', `/admin/reports/attendance.csv?siteId=${DEMO_SITE_ID}`)).not.toMatchObject({ body: expect.stringContaining('GD2026000106') });
  });

  it('approves an unknown learner only once the learner exists', async () => {
    const queue = (await admin('GET', '/admin/review')).body as { id: string; learnerId: string }[];
    const unknown = queue.find((r) => r.learnerId === 'GD9999999999')!;
    const early = await admin('POST', `/admin/review/${unknown.id}/approve`);
    expect(early.status).toBe(409);
    expect((early.body as { message: string }).message).toMatch(/import the learner/);
    expect(await admin('POST', '/admin/learners/import', { csv: `id,display_name,home_site_id\nGD9999999999,新学员,${DEMO_SITE_ID}\n` })).toMatchObject({ status: 200 });
    expect((await admin('POST', `/admin/review/${unknown.id}/approve`)).status).toBe(200);
    expect(await ledgerOf('GD9999999999')).toBe(1);
  });
});

describe('class sessions: a kiosk changes only the status, by version', () => {
  it('ignores forged times, title, roster and deletion, and answers with the stored session', async () => {
    const { pool } = platform.database;
    const target = await recentClassSession(pool, DEMO_SITE_ID, { roster: ['GD2026000101'], title: 'forgery target' });
    const stored = ((await sync('GET', '/sync/class_sessions/pull')).body as { documents: ClassSession[] }).documents.find((s) => s.id === target.id)!;
    const forged: ClassSession = { ...stored, title: 'forged', startsAt: '1999-01-01T00:00:00.000Z', endsAt: '1999-12-31T00:00:00.000Z', roster: ['GD2026000120'], _deleted: true };
    const answer = await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: forged, assumedMasterState: stored }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([stored]);
  });

  it('takes a status with a higher version, and never lets a stale push reopen a closed class', async () => {
    const { pool } = platform.database;
    const target = await recentClassSession(pool, DEMO_SITE_ID, { hoursAgo: -1, title: 'versioned' });
    const pull = async () => ((await sync('GET', '/sync/class_sessions/pull')).body as { documents: ClassSession[] }).documents.find((s) => s.id === target.id)!;
    const v0 = await pull();
    const opened = { ...v0, status: 'open' as const, statusVersion: v0.statusVersion + 1 };
    const closed = { ...v0, status: 'closed' as const, statusVersion: v0.statusVersion + 2 };
    expect((await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: opened }])).body).toMatchObject([{ status: 'open', statusVersion: opened.statusVersion }]);
    expect((await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: closed }])).body).toMatchObject([{ status: 'closed', statusVersion: closed.statusVersion }]);
    // The first push, replayed late (its answer was lost), changes nothing.
    const stale = await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: opened }]);
    expect(stale.body).toMatchObject([{ status: 'closed', statusVersion: closed.statusVersion }]);
    // A platform-side change takes the next version, so a kiosk push built on the old one loses.
    await setClassSessionStatus(pool, target.id, 'open');
    const tie = await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: { ...closed, statusVersion: closed.statusVersion + 1 } }]);
    expect(tie.body).toMatchObject([{ status: 'open', statusVersion: closed.statusVersion + 1 }]);
    expect(await pull()).toMatchObject({ status: 'open' });
    // A kiosk cannot put a class back to planned, whatever the version.
    const replan = await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: { ...closed, status: 'planned', statusVersion: 99 } }]);
    expect(replan.body).toMatchObject([{ status: 'open', statusVersion: closed.statusVersion + 1 }]);
  });

  it('refuses a session the platform does not have, per row, and keeps it as received', async () => {
    const proposed: ClassSession = {
      id: '0193a7c4-0000-7000-8000-0000000000aa', siteId: DEMO_SITE_ID, title: '1999 class', teacher: '', startsAt: '1999-01-01T00:00:00.000Z',
      endsAt: '1999-01-01T02:00:00.000Z', status: 'open', statusVersion: 1, checkInOpensAt: '1998-12-31T23:30:00.000Z', roster: [], _deleted: false,
    };
    const answer = await sync('POST', '/sync/class_sessions/push', [{ newDocumentState: proposed }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject([{ id: proposed.id, refusal: { reason: 'unknown-session' } }]);
    expect(await count('select count(*) as n from class_sessions where id = $1', [proposed.id])).toBe(0);
    expect(await count(`select count(*) as n from sync_refusals where record_id = $1 and collection = 'class_sessions'`, [proposed.id])).toBe(1);
  });
});

describe('lesson progress re-checked against the course manifest', () => {
  it('holds a completion at position 0, then credits it once the position reaches the threshold', async () => {
    const before = await ledgerSize();
    const cheat = progressRecord(kioskA, 'GD2026000111', course, { positionSeconds: 0, durationSeconds: 1 });
    expect((await pushProgress([cheat])).body).toMatchObject([{ id: cheat.id, completed: true, review: { status: 'held', reasons: ['completion-not-reached'] } }]);
    expect(await ledgerSize()).toBe(before);
    const honest = progressRecord(kioskA, 'GD2026000111', course, { positionSeconds: 560 });
    const answer = (await pushProgress([honest])).body as LessonProgress[];
    expect(answer[0]!.review).toBeUndefined();
    expect(await ledgerOf('GD2026000111')).toBe(1);
    await pushProgress([honest]);
    expect(await ledgerOf('GD2026000111')).toBe(1);
  });

  it('holds a completion dated 2001 as implausible, and clamps a future completion time to the time received', async () => {
    const old = progressRecord(kioskA, 'GD2026000112', course, { completedAt: '2001-01-01T00:00:00.000Z', deviceTime: '2001-01-01T00:00:00.000Z' });
    expect((await pushProgress([old])).body).toMatchObject([{ review: { status: 'held', reasons: ['implausible-time'] } }]);
    expect(await ledgerOf('GD2026000112')).toBe(0);
    const future = progressRecord(kioskA, 'GD2026000113', course, { completedAt: new Date(Date.now() + 5 * 60_000).toISOString() });
    const answer = ((await pushProgress([future])).body as LessonProgress[])[0]!;
    expect(Date.parse(answer.completedAt!)).toBeLessThanOrEqual(Date.parse(answer.receivedAt!));
    expect(await ledgerOf('GD2026000113')).toBe(1);
  });

  it('keeps the furthest position and the completing site when another site pushes the same lesson', async () => {
    const learner = 'GD2026000114';
    await pushProgress([progressRecord(kioskA, learner, course, { positionSeconds: 590 })]);
    const fromB = progressRecord({ kioskId: otherSite.kioskId, siteId: 'ZH-XIANGZHOU' }, learner, course, { positionSeconds: 10, completed: false, completedAt: undefined });
    delete fromB.completedAt;
    const answer = ((await pushProgress([fromB], otherSite.credential)).body as LessonProgress[])[0]!;
    expect(answer).toMatchObject({ positionSeconds: 590, completed: true, siteId: DEMO_SITE_ID, kioskId: DEMO_KIOSK_ID });
    expect(await ledgerOf(learner)).toBe(1);
    // Both sites' kiosks hold the learner's progress: site B placed them there with an accepted record.
    const pulledB = (await sync('GET', '/sync/lesson_progress/pull', undefined, otherSite.credential)).body as { documents: LessonProgress[] };
    expect(pulledB.documents.find((d) => d.id === answer.id)).toMatchObject({ positionSeconds: 590 });
  });

  it('refuses progress for a removed lesson or an unknown course per row, and stores the good rows of the batch', async () => {
    const removed = progressRecord(kioskA, 'GD2026000115', course, { lessonId: 'lesson-9' });
    const noCourse = { ...progressRecord(kioskA, 'GD2026000115', testCourse('gone-course', 1)), courseId: 'gone-course' };
    const good = progressRecord(kioskA, 'GD2026000115', course, { positionSeconds: 30, completed: false });
    delete good.completedAt;
    const response = await pushProgress([removed, noCourse, good]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject([
      { id: removed.id, refusal: { reason: 'unknown-lesson' } },
      { id: noCourse.id, refusal: { reason: 'unknown-course' } },
      { id: good.id, positionSeconds: 30, receivedAt: expect.any(String) },
    ]);
    expect(await count(`select count(*) as n from sync_refusals where collection = 'lesson_progress'`)).toBe(2);
  });
});

describe('course imports and pulls', () => {
  it('refuses a manifest with no lessons with 400 naming the field, and stores nothing', async () => {
    const response = await admin('POST', '/admin/courses', { ...testCourse('empty-course', 2), lessons: [] });
    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message).toMatch(/lessons/);
    expect(await count(`select count(*) as n from courses where id = 'empty-course'`)).toBe(0);
  });

  it('serves the course pull even when a stored manifest is bad, skipping that course', async () => {
    await withSyncWrite(platform.database.pool, (client) =>
      client.query(`insert into courses (id, version, manifest, credit_hours, server_seq) values ('broken', 1, '{"id":"broken","lessons":[]}', 1, next_sync_seq())`),
    );
    const pulled = await sync('GET', '/sync/courses/pull?limit=1000');
    expect(pulled.status).toBe(200);
    const ids = (pulled.body as { documents: { id: string }[] }).documents.map((d) => d.id);
    expect(ids).toContain(course.id);
    expect(ids).not.toContain('broken');
    // A page that ends on the bad course still moves the checkpoint past it.
    const { rows } = await platform.database.pool.query<{ server_seq: string }>(`select server_seq from courses where id = 'broken'`);
    const tail = (await sync('GET', `/sync/courses/pull?seq=${Number(rows[0]!.server_seq) - 1}&limit=1`)).body as { documents: unknown[]; checkpoint: { seq: number } };
    expect(tail.documents).toEqual([]);
    expect(tail.checkpoint.seq).toBe(Number(rows[0]!.server_seq));
  });
});
