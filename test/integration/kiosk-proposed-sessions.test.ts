import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSession } from '../../sync/protocol/class-session';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { recomputeLedger } from '../../sync/platform/admin/ledger-recompute';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { seedTwoSites, recentClassSession } from '../support/trusted-sync';

const HOUR = 3_600_000;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let otherSite: { kioskId: string; credential: string };
let sequence = 0;

const sync = (method: string, path: string, body?: unknown, auth = credential) => httpCall(platform.url, method, path, body, auth);
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);
const pushSessions = (docs: ClassSession[], auth = credential) => sync('POST', '/sync/class_sessions/push', docs.map((d) => ({ newDocumentState: d })), auth);
const pushAttendance = (docs: AttendanceRecord[]) => sync('POST', '/sync/attendance/push', docs.map((d) => ({ newDocumentState: d })));

/** A class staff made on the kiosk while offline: it started `startedHoursAgo` ago and lasts 2 h. */
function proposal(title: string, startedHoursAgo = 0.5, overrides: Partial<ClassSession> = {}): ClassSession {
  sequence += 1;
  const startsAt = new Date(Date.now() - startedHoursAgo * HOUR);
  return {
    id: `0193a7c4-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    siteId: DEMO_SITE_ID,
    title,
    teacher: '',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
    status: 'open',
    statusVersion: 1,
    checkInOpensAt: new Date(startsAt.getTime() - 30 * 60_000).toISOString(),
    roster: [],
    proposedBy: DEMO_KIOSK_ID,
    approval: 'proposed',
    _deleted: false,
    ...overrides,
  };
}

const checkIn = (session: ClassSession, learnerId: string, overrides: Partial<AttendanceRecord> = {}) =>
  demoAttendance(session.id, learnerId, { method: 'manual', deviceTime: new Date(Date.parse(session.startsAt) + 10 * 60_000).toISOString(), ...overrides });

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await platform.database.pool.query(sql, params)).rows as T[];
}
const ledgerOf = (sourceIds: string[]) =>
  rows<{ source_id: string; hours: number }>(
    `select l.source_id, l.hours::float8 as hours from credit_ledger l join attendance a on a.id::text = l.source_id::text
      where l.source_id::text = any($1::text[]) order by a.credit_seq`,
    [sourceIds],
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  ({ credential, otherSite } = await seedTwoSites(pool));
});

afterAll(async () => {
  await platform?.close();
});

describe('a class a kiosk made offline', () => {
  it('is stored as proposed, its check-ins held with no credit; approving releases them in the order received, through the one credit rule', async () => {
    const session = proposal('粤语识字（村里）');
    const pushed = await pushSessions([{ ...session, approval: 'approved' }]);
    expect(pushed.status).toBe(200);
    // The kiosk's word on approval is ignored; the platform stamps its own check-in window.
    expect(pushed.body).toMatchObject([{ id: session.id, approval: 'proposed', proposedBy: DEMO_KIOSK_ID, status: 'open', serverSeq: expect.any(Number) }]);
    expect((pushed.body as ClassSession[])[0]!.checkInOpensAt).toBe(new Date(Date.parse(session.startsAt) - 30 * 60_000).toISOString());

    const first = checkIn(session, 'GD2026000101');
    const second = checkIn(session, 'GD2026000102');
    const unknown = checkIn(session, 'GD9999999901');
    const answer = await pushAttendance([first, second, unknown]);
    expect(answer.body).toMatchObject([
      { id: first.id, review: { status: 'held', reasons: ['session-not-approved'] } },
      { id: second.id, review: { status: 'held', reasons: ['session-not-approved'] } },
      { id: unknown.id, review: { status: 'held', reasons: ['unknown-learner', 'session-not-approved'] } },
    ]);
    expect(await ledgerOf([first.id, second.id, unknown.id])).toEqual([]);

    const listed = (await admin('GET', `/admin/class-sessions/proposed?siteId=${DEMO_SITE_ID}`)).body as { id: string; heldCheckIns: number }[];
    expect(listed).toContainEqual(expect.objectContaining({ id: session.id, heldCheckIns: 3 }));

    const approved = await admin('POST', `/admin/class-sessions/${session.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ approval: 'approved', released: 2, stillHeld: 1, creditedHours: 4 });
    // Credited in the order the platform stored them (first, then second; their ids sort the other way).
    expect(first.id > second.id).toBe(true);
    expect(await ledgerOf([first.id, second.id, unknown.id])).toEqual([
      { source_id: first.id, hours: 2 },
      { source_id: second.id, hours: 2 },
    ]);
    const records = await rows<{ id: string; review_status: string; review_reasons: string[] }>(
      'select id, review_status, review_reasons from attendance where class_session_id = $1 order by received_at, id',
      [session.id],
    );
    expect(records.find((r) => r.id === unknown.id)).toMatchObject({ review_status: 'held', review_reasons: ['unknown-learner'] });
    expect(records.filter((r) => r.review_status === 'approved')).toHaveLength(2);
    // The one credit rule, replayed over everything creditable, agrees with what approval wrote.
    expect((await recomputeLedger(platform.database.pool, { apply: false })).differences).toEqual([]);

    // Kiosks pull the verdicts: the session approved, the released check-ins approved.
    const pulledSessions = (await sync('GET', '/sync/class_sessions/pull')).body as { documents: ClassSession[] };
    expect(pulledSessions.documents.find((d) => d.id === session.id)).toMatchObject({ approval: 'approved' });
    const pulledAttendance = (await sync('GET', '/sync/attendance/pull')).body as { documents: AttendanceRecord[] };
    expect(pulledAttendance.documents.find((d) => d.id === first.id)).toMatchObject({ review: { status: 'approved' } });

    // Deciding twice is a conflict; the list no longer shows it.
    expect((await admin('POST', `/admin/class-sessions/${session.id}/approve`)).status).toBe(409);
    expect((await admin('POST', `/admin/class-sessions/${session.id}/refuse`)).status).toBe(409);
    const after = (await admin('GET', '/admin/class-sessions/proposed')).body as { id: string }[];
    expect(after.map((s) => s.id)).not.toContain(session.id);
  });

  it('changes nothing when the proposal and its check-ins are replayed, nor lets a kiosk move, rename or re-roster it', async () => {
    const session = proposal('replayed class');
    const stored = ((await pushSessions([session])).body as ClassSession[])[0]!;
    const doc = checkIn(session, 'GD2026000103');
    await pushAttendance([doc]);
    await admin('POST', `/admin/class-sessions/${session.id}/approve`);
    const ledgerBefore = await ledgerOf([doc.id]);
    expect(ledgerBefore).toHaveLength(1);

    const forged = { ...session, title: 'renamed', startsAt: new Date(Date.now() - 10 * HOUR).toISOString(), roster: ['GD2026000104'] };
    const replay = (await pushSessions([forged])).body as ClassSession[];
    expect(replay[0]).toMatchObject({ title: stored.title, startsAt: stored.startsAt, endsAt: stored.endsAt, roster: [], approval: 'approved' });
    expect((await pushAttendance([doc])).body).toMatchObject([{ id: doc.id, review: { status: 'approved' } }]);
    expect(await ledgerOf([doc.id])).toEqual(ledgerBefore);
    expect(await rows('select 1 from class_sessions where id = $1', [session.id])).toHaveLength(1);
  });

  it('refused: its check-ins stay stored, refused, earning nothing, and later ones are refused with it', async () => {
    const session = proposal('not a real class');
    await pushSessions([session]);
    const early = checkIn(session, 'GD2026000105');
    await pushAttendance([early]);
    const refused = await admin('POST', `/admin/class-sessions/${session.id}/refuse`);
    expect(refused.body).toMatchObject({ approval: 'refused', refused: 1 });
    const late = checkIn(session, 'GD2026000106');
    expect((await pushAttendance([late])).body).toMatchObject([{ id: late.id, review: { status: 'refused', reasons: ['session-not-approved'] } }]);
    expect(await rows('select review_status from attendance where id = $1', [early.id])).toEqual([{ review_status: 'refused' }]);
    expect(await ledgerOf([early.id, late.id])).toEqual([]);
    // Approving a refused session is not possible, and an unknown one is 404.
    expect((await admin('POST', `/admin/class-sessions/${session.id}/approve`)).status).toBe(409);
    expect((await admin('POST', '/admin/class-sessions/0193a7c4-0000-7000-8000-ffffffffffff/approve')).status).toBe(404);
  });

  it('cannot be proposed for this site by a kiosk of another site, nor in another kiosk\'s name', async () => {
    const session = proposal('intruder class');
    const fromOtherSite = await pushSessions([{ ...session, proposedBy: otherSite.kioskId }], otherSite.credential);
    expect(fromOtherSite.status).toBe(403);
    const inAnotherName = await pushSessions([{ ...session, proposedBy: otherSite.kioskId }]);
    expect(inAnotherName.status).toBe(403);
    expect(inAnotherName.body).toMatchObject({ message: expect.stringContaining('proposer') });
    expect(await rows('select 1 from class_sessions where id = $1', [session.id])).toHaveLength(0);
  });

  it('refuses, per row, a proposal that ends before it starts or lasts longer than a class, storing the good row of the batch', async () => {
    const backwards = proposal('backwards', 1, { endsAt: new Date(Date.now() - 2 * HOUR).toISOString() });
    const endless = proposal('endless', 1, { endsAt: new Date(Date.now() + 30 * HOUR).toISOString() });
    const good = proposal('good');
    const answer = await pushSessions([backwards, good, endless]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject([
      { id: backwards.id, refusal: { reason: 'invalid-record', message: expect.stringContaining('ends before it starts') } },
      { id: good.id, approval: 'proposed' },
      { id: endless.id, refusal: { reason: 'invalid-record', message: expect.stringContaining('at most 12 h') } },
    ]);
    expect(await rows('select id from class_sessions where id = any($1::uuid[])', [[backwards.id, endless.id]])).toEqual([]);
  });
});

describe('a late check-in', () => {
  it('is stored with the reason staff picked, held late-check-in, shown for review, and credited once approved', async () => {
    const past = await recentClassSession(platform.database.pool, DEMO_SITE_ID, { hoursAgo: 48, title: 'two days ago' });
    const doc = demoAttendance(past.id, 'GD2026000107', { method: 'manual', deviceTime: new Date().toISOString(), lateReason: 'paper-register' });
    const answer = await pushAttendance([doc]);
    expect(answer.body).toMatchObject([{ id: doc.id, lateReason: 'paper-register', review: { status: 'held', reasons: ['outside-window', 'late-check-in'] } }]);
    const queue = (await admin('GET', `/admin/review?siteId=${DEMO_SITE_ID}`)).body as { id: string; lateReason?: string; reasons: string[] }[];
    expect(queue.find((r) => r.id === doc.id)).toMatchObject({ lateReason: 'paper-register', reasons: ['outside-window', 'late-check-in'] });
    expect(await ledgerOf([doc.id])).toEqual([]);
    expect((await admin('POST', `/admin/review/${doc.id}/approve`)).status).toBe(200);
    expect(await ledgerOf([doc.id])).toEqual([{ source_id: doc.id, hours: 2 }]);
  });

  it('with a reason not on the list is refused whole with 400 naming the field', async () => {
    const past = await recentClassSession(platform.database.pool, DEMO_SITE_ID, { hoursAgo: 30, title: 'yesterday' });
    const doc = demoAttendance(past.id, 'GD2026000108', { method: 'manual', deviceTime: new Date().toISOString() });
    const answer = await pushAttendance([{ ...doc, lateReason: 'because' as AttendanceRecord['lateReason'] }]);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('lateReason');
    expect(await rows('select 1 from attendance where id = $1', [doc.id])).toHaveLength(0);
  });
});
