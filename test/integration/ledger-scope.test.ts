import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { CreditLedgerEntry } from '../../sync/protocol/credit-ledger-entry';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import { createClassSession } from '../../sync/platform/admin/class-sessions';
import { importCourseManifest } from '../../sync/platform/admin/courses';
import { confirmLedgerEntries } from '../../sync/platform/admin/ledger';
import { recomputeLedger } from '../../sync/platform/admin/ledger-recompute';
import { creditsReportCsv } from '../../sync/platform/admin/reports';
import { approveHeldRecord } from '../../sync/platform/admin/review';
import { createSite } from '../../sync/platform/admin/sites';
import { withSyncWrite, withTransaction } from '../../sync/platform/database';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { createEnrolmentCode, enrolKiosk } from '../../sync/platform/enrolment';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform } from '../support/platform';
import { backdateKioskEnrolment, progressRecord, pullInto, recentClassSession, testCourse } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let siteB: { kioskId: string; credential: string };
const kioskA = { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID };
const twoHourLesson = testCourse('two-hour-lesson', 2, 1, 600);
const fourLessons = testCourse('four-lessons', 3, 4, 300);

const sync = (path: string, body?: unknown, auth = credential) => httpCall(platform.url, body === undefined ? 'GET' : 'POST', path, body, auth);
const rows = (docs: unknown[]) => docs.map((d) => ({ newDocumentState: d }));

async function addLearners(ids: string[], homeSite = DEMO_SITE_ID): Promise<void> {
  await withSyncWrite(platform.database.pool, (client) =>
    client.query(
      `insert into learners (id, display_name, home_site_id, server_seq) select id, id, $2, next_sync_seq() from unnest($1::text[]) as id`,
      [ids, homeSite],
    ),
  );
}

/** A class on a fixed Guangdong day (`daysAgo` days back), from `hour` (UTC) for `hours` hours. */
async function classOn(daysAgo: number, hour: number, hours: number, siteId = DEMO_SITE_ID) {
  const day = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const startsAt = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const endsAt = new Date(startsAt.getTime() + hours * 3_600_000);
  const { id } = await createClassSession(platform.database.pool, { siteId, title: `class ${day} ${hour}`, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), status: 'open' });
  return { id, siteId, during: new Date(startsAt.getTime() + 5 * 60_000).toISOString(), startsAt };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  credential = (await seedDemo(pool, null)).kioskCredential!;
  await createSite(pool, { id: 'ZH-XIANGZHOU', name: '香洲' });
  siteB = await enrolKiosk(pool, (await createEnrolmentCode(pool, 'ZH-XIANGZHOU')).code, { kioskName: 'zh' });
  await backdateKioskEnrolment(pool);
  await importCourseManifest(pool, twoHourLesson);
  await importCourseManifest(pool, fourLessons);
});

afterAll(async () => {
  await platform?.close();
});

describe('one credit rule for push, approval and recompute', () => {
  it('one 2 h lesson plus three 2 h classes on one day: ledger capped at 6 h, recompute finds nothing, --apply changes nothing', async () => {
    const { pool } = platform.database;
    const learner = 'CAP-LEARNER';
    await addLearners([learner]);
    const classes = [await classOn(2, 2, 2), await classOn(2, 4, 2), await classOn(2, 6, 2)];
    const completedAt = new Date(classes[0]!.startsAt.getTime() - 3_600_000).toISOString();
    await sync('/sync/lesson_progress/push', rows([progressRecord(kioskA, learner, twoHourLesson, { completedAt, deviceTime: completedAt })]));
    for (const c of classes) await sync('/sync/attendance/push', rows([demoAttendance(c.id, learner, { method: 'manual', deviceTime: c.during })]));
    const ledger = async () =>
      (await pool.query<{ source_type: string; hours: string; status: string; server_seq: string }>(
        'select source_type, hours, status, server_seq from credit_ledger where learner_id = $1 order by server_seq',
        [learner],
      )).rows;
    const before = await ledger();
    expect(before.map((e) => [e.source_type, Number(e.hours)])).toEqual([['lesson', 2], ['attendance', 2], ['attendance', 2], ['attendance', 0]]);
    expect(await recomputeLedger(pool, { apply: false })).toMatchObject({ differences: [], repaired: 0 });
    expect(await recomputeLedger(pool, { apply: true })).toMatchObject({ differences: [], repaired: 0 });
    expect(await ledger()).toEqual(before);
    // Confirming by site confirms every source type recorded there, the lesson included.
    expect(await confirmLedgerEntries(pool, { siteId: DEMO_SITE_ID })).toBeGreaterThanOrEqual(4);
    expect((await ledger()).map((e) => e.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    // The credits report counts the lesson with the classes.
    const report = (await creditsReportCsv(pool, { siteId: DEMO_SITE_ID })).split('\n').filter((line) => line.includes(learner));
    expect(report).toEqual([expect.stringMatching(new RegExp(`^${DEMO_SITE_ID},\\d{4}-\\d{2}-\\d{2},${learner},6,0,0.6$`))]);
  });

  it('keeps incremental ledger = recompute over generated histories of check-ins, lessons and approvals', async () => {
    const { pool } = platform.database;
    // Classes on three days, lengths 1–3 h, and lessons worth 0.75 h (four-lessons) or 2 h.
    const sessions = [await classOn(3, 1, 3), await classOn(3, 4, 2), await classOn(3, 6, 1), await classOn(4, 2, 2), await classOn(4, 5, 3), await classOn(5, 2, 2)];
    let run = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('attend' as const), session: fc.integer({ min: 0, max: sessions.length - 1 }), learner: fc.integer({ min: 0, max: 1 }), held: fc.boolean() }),
      fc.record({ kind: fc.constant('lesson' as const), lesson: fc.integer({ min: 0, max: 4 }), learner: fc.integer({ min: 0, max: 1 }), held: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { maxLength: 12 }), async (ops, batch, approvalOrder) => {
        run += 1;
        const learners = [`PROP-${run}-A`, `PROP-${run}-B`];
        await addLearners(learners);
        const attendanceDocs = new Map<string, AttendanceRecord>();
        const progressDocs = new Map<string, LessonProgress>();
        for (const o of ops) {
          const learnerId = learners[o.learner]!;
          if (o.kind === 'attend') {
            const s = sessions[o.session]!;
            // Held: a card check-in with no card (card-not-issued).
            const doc = demoAttendance(s.id, learnerId, { method: o.held ? 'scanner' : 'manual', deviceTime: s.during });
            if (!attendanceDocs.has(doc.id)) attendanceDocs.set(doc.id, doc);
          } else {
            const course = o.lesson === 4 ? twoHourLesson : fourLessons;
            const lessonId = course.lessons[o.lesson % course.lessons.length]!.id;
            const completedAt = sessions[o.lesson]!.during;
            // Held: a completion at position 0 (completion-not-reached).
            const doc = progressRecord(kioskA, learnerId, course, { lessonId, completedAt, deviceTime: completedAt, ...(o.held ? { positionSeconds: 0 } : {}) });
            if (!progressDocs.has(doc.id)) progressDocs.set(doc.id, doc);
          }
        }
        const attendance = [...attendanceDocs.values()];
        const progress = [...progressDocs.values()];
        for (let i = 0; i < attendance.length; i += batch) await sync('/sync/attendance/push', rows(attendance.slice(i, i + batch)));
        for (let i = 0; i < progress.length; i += batch) await sync('/sync/lesson_progress/push', rows(progress.slice(i, i + batch)));
        // Approve some held records, in a generated order: they are credited in approval order.
        const { rows: held } = await pool.query<{ id: string }>(
          `select id from attendance where review_status = 'held' and claimed_learner_id = any($1)
           union all select id from lesson_progress where review_status = 'held' and learner_id = any($1) order by id`,
          [learners],
        );
        for (const pick of approvalOrder) {
          const next = held.splice(pick % Math.max(held.length, 1), 1)[0];
          if (next) await approveHeldRecord(pool, next.id);
        }
        const check = await recomputeLedger(pool, { apply: false });
        expect(check.differences).toEqual([]);
        const { rows: days } = await pool.query<{ hours: string }>(
          'select sum(hours) as hours from credit_ledger where learner_id = any($1) group by learner_id, earned_on',
          [learners],
        );
        for (const d of days) expect(Number(d.hours)).toBeLessThanOrEqual(6);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 12) },
    );
  });
});

describe('scope stamped at write time', () => {
  it('an incrementally syncing kiosk holds exactly what a freshly enrolled kiosk holds', async () => {
    const learner = 'VISITOR-1';
    await addLearners([learner]);
    const atA = [await classOn(6, 2, 2), await classOn(7, 2, 2)];
    const atB = await classOn(1, 2, 2, 'ZH-XIANGZHOU');
    const incremental = new Map<string, CreditLedgerEntry>();
    const pullB = (path: string) => sync(path, undefined, siteB.credential);
    let seq = await pullInto(pullB, 'credit_ledger', incremental, 0);
    // The learner earns two entries at their home site A; site B does not see them yet.
    for (const c of atA) await sync('/sync/attendance/push', rows([demoAttendance(c.id, learner, { method: 'manual', deviceTime: c.during })]));
    seq = await pullInto(pullB, 'credit_ledger', incremental, seq);
    expect([...incremental.values()].filter((e) => e.learnerId === learner)).toEqual([]);
    // A check-in at site B places them there: their older entries take new sequence numbers.
    const visit = { ...demoAttendance(atB.id, learner, { method: 'manual', deviceTime: atB.during }), siteId: 'ZH-XIANGZHOU', kioskId: siteB.kioskId };
    expect((await sync('/sync/attendance/push', rows([visit]), siteB.credential)).status).toBe(200);
    await pullInto(pullB, 'credit_ledger', incremental, seq);
    const fresh = new Map<string, CreditLedgerEntry>();
    await pullInto(pullB, 'credit_ledger', fresh, 0, 200);
    expect([...incremental.values()].filter((e) => e.learnerId === learner)).toHaveLength(3);
    expect(new Map([...incremental].map(([id, e]) => [id, { ...e, serverSeq: 0 }]))).toEqual(new Map([...fresh].map(([id, e]) => [id, { ...e, serverSeq: 0 }])));
    const { rows: placed } = await platform.database.pool.query('select site_id from learner_sites where learner_id = $1 order by site_id', [learner]);
    expect(placed.map((r) => r.site_id)).toEqual([DEMO_SITE_ID, 'ZH-XIANGZHOU']);
  });

  it('does not place a learner at a site with a held record', async () => {
    const learner = 'VISITOR-2';
    await addLearners([learner]);
    const atB = await recentClassSession(platform.database.pool, 'ZH-XIANGZHOU', { roster: ['SOMEONE-ELSE'] });
    const offRoster = { ...demoAttendance(atB.id, learner, { method: 'manual', deviceTime: atB.during }), siteId: 'ZH-XIANGZHOU', kioskId: siteB.kioskId };
    expect((await sync('/sync/attendance/push', rows([offRoster]), siteB.credential)).body).toMatchObject([{ review: { status: 'held' } }]);
    const { rows: placed } = await platform.database.pool.query('select site_id from learner_sites where learner_id = $1', [learner]);
    expect(placed.map((r) => r.site_id)).toEqual([DEMO_SITE_ID]);
  });
});

describe('the write sequence', () => {
  it('is taken only under the sync write lock', async () => {
    const { pool } = platform.database;
    await expect(pool.query('select next_sync_seq()')).rejects.toThrow(/sync write lock/);
    await expect(withTransaction(pool, (client) => client.query('select next_sync_seq()'))).rejects.toThrow(/sync write lock/);
    const { rows: taken } = await withSyncWrite(pool, (client) => client.query<{ seq: string }>('select next_sync_seq() as seq, next_sync_seq() as again'));
    expect(Number(taken[0]!.seq)).toBeGreaterThan(0);
    // The lock check is per transaction: the next one without the lock is refused again.
    await expect(withTransaction(pool, (client) => client.query('select next_sync_seq()'))).rejects.toThrow(/sync write lock/);
  });
});
