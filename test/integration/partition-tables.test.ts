import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import { importCourseManifest } from '../../sync/platform/admin/courses';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { migrateDatabase } from '../../sync/platform/migrate';
import { partitionTables, PARTITIONED_TABLES, tablesArePartitioned, TablesAlreadyPartitioned } from '../../sync/platform/partition-tables';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform } from '../support/platform';
import { backdateKioskEnrolment, progressRecord, recentClassSession, testCourse } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let sessionId: string;
let during: string;
const course = testCourse('partition-course', 1, 1, 600);
const learners = ['GD2026000101', 'GD2026000102', 'GD2026000103', 'GD2026000104'];

const push = (collection: string, docs: unknown[]) =>
  httpCall(platform.url, 'POST', `/sync/${collection}/push`, docs.map((d) => ({ newDocumentState: d })), credential);

const attendance = (learnerId: string): AttendanceRecord => demoAttendance(sessionId, learnerId, { method: 'manual', deviceTime: during });

/** Every row of the three tables, as JSON, in a fixed order: what must survive the move unchanged. */
async function contents(): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const { table } of PARTITIONED_TABLES) {
    result[table] = (await platform.database.pool.query<{ row: unknown }>(`select to_jsonb(t) as row from ${table} t order by id`)).rows.map((r) => r.row);
  }
  return result;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  credential = (await seedDemo(pool, null)).kioskCredential!;
  await backdateKioskEnrolment(pool);
  ({ id: sessionId, during } = await recentClassSession(pool, DEMO_SITE_ID));
  await importCourseManifest(pool, course);
  // Rows of every kind the step moves: attendance, completed progress and their ledger entries.
  expect((await push('attendance', learners.slice(0, 3).map(attendance))).status).toBe(200);
  const kiosk = { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID };
  expect((await push('lesson_progress', learners.slice(0, 3).map((learner) => progressRecord(kiosk, learner, course)))).status).toBe(200);
});

afterAll(async () => {
  await platform?.close();
});

describe('partition-tables (the operator step)', () => {
  it('moves every row into partitions unchanged, and the sync paths go on working on them', async () => {
    const { pool } = platform.database;
    const before = await contents();
    expect(before.attendance).toHaveLength(3);
    expect(before.lesson_progress).toHaveLength(3);
    expect(before.credit_ledger).toHaveLength(6);

    const report = await partitionTables(pool, 3);
    expect(report.map((t) => [t.table, t.key, t.rows])).toEqual([
      ['attendance', 'site_id', 3],
      ['lesson_progress', 'learner_id', 3],
      ['credit_ledger', 'learner_id', 6],
    ]);
    expect(await tablesArePartitioned(pool)).toBe(true);
    expect(await contents()).toEqual(before);
    // The learners' rows are spread over partitions, not parked in one.
    const { rows: spread } = await pool.query<{ n: string }>('select count(distinct tableoid) as n from credit_ledger');
    expect(Number(spread[0]!.n)).toBeGreaterThan(1);

    // A replay is still answered with the stored row; a new check-in is stored and credited once.
    const first = attendance(learners[0]!);
    const stored = (before.attendance as { id: string; server_seq: number }[]).find((row) => row.id === first.id);
    expect((await push('attendance', [first])).body).toEqual([expect.objectContaining({ id: first.id, serverSeq: stored?.server_seq })]);
    expect((await push('attendance', [attendance(learners[3]!)])).status).toBe(200);
    expect((await push('attendance', [attendance(learners[3]!)])).status).toBe(200);
    const { rows: counted } = await pool.query<{ attendance: string; ledger: string }>(
      `select (select count(*) from attendance) as attendance, (select count(*) from credit_ledger where learner_id = $1) as ledger`,
      [learners[3]],
    );
    expect(counted[0]).toEqual({ attendance: '4', ledger: '1' });
    // Ordinary migrations still run on it (none is pending here, but the check that guards them passes).
    await expect(migrateDatabase(pool)).resolves.toBeUndefined();
  });

  it('refuses to run twice, saying what it did, and changes nothing', async () => {
    const before = await contents();
    const again = partitionTables(platform.database.pool, 3);
    await expect(again).rejects.toBeInstanceOf(TablesAlreadyPartitioned);
    await expect(again).rejects.toThrow(/Already partitioned: attendance \(HASH \(site_id\), 3 partitions\), lesson_progress .*credit_ledger .*\(on \d{4}-.*\)\. Nothing was changed\./);
    expect(await contents()).toEqual(before);
  });

  it('refuses a partition count it cannot use', async () => {
    await expect(partitionTables(platform.database.pool, 1)).rejects.toThrow(RangeError);
  });
});
