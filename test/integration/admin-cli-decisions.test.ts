import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, withSyncWrite } from '../../sync/platform/database';
import { migrateDatabase } from '../../sync/platform/migrate';
import { runAdminCli, type CliResult } from '../support/admin-cli';
import { scratchDatabaseUrl } from '../support/platform';
import { testCourse } from '../support/trusted-sync';

// The CLI's decisions on what kiosks pushed, apart from admin-cli.test.ts so the two files'
// CLI runs (seconds each on a busy machine) go side by side.
let folder: string;
let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>;

/** The CLI as an operator runs it: its own process, on DATABASE_URL or the data folder's PGlite. */
async function cli(...args: string[]): Promise<CliResult> {
  const env = { ...process.env, YUEXUE_DATA_DIR: folder, ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) };
  return runAdminCli(args, env);
}

/** Writes what kiosks would have pushed into the CLI's own database (an embedded one has one owner at a time, so it is closed again). */
async function onCliDatabase(write: (client: pg.PoolClient) => Promise<unknown>): Promise<void> {
  const database = await openDatabase(scratch.url ? { databaseUrl: scratch.url } : { dataDir: join(folder, 'platform-db') });
  try {
    await migrateDatabase(database.pool);
    await withSyncWrite(database.pool, write);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-cli-decisions-'));
  scratch = await scratchDatabaseUrl();
  // A site with a learner and a kiosk, as site add, learners import and enrolment leave them.
  await onCliDatabase(async (client) => {
    await client.query(`insert into sites (id, name) values ('JM-PENGJIANG', '蓬江')`);
    await client.query(`insert into learners (id, display_name, home_site_id, server_seq) values ('JM1', '甲', 'JM-PENGJIANG', next_sync_seq())`);
    await client.query(`insert into kiosks (id, site_id, name, token_hash) values ('JM-K1', 'JM-PENGJIANG', 'k', 'x')`);
  });
}, 120_000);

afterAll(async () => {
  await scratch?.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('platform:admin CLI decisions', () => {
  it('lists held records, and approves one into the ledger once', async () => {
    const heldId = '0193a7c4-0000-7000-8000-0000000000c1';
    await onCliDatabase(async (client) => {
      await client.query(
        `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, roster, server_seq)
         values ('0193a7c4-0000-7000-8000-0000000000c0', 'JM-PENGJIANG', 'c', '2026-11-20T06:00Z', '2026-11-20T08:00Z', 'open', '["JM9"]', next_sync_seq())`,
      );
      await client.query(
        `insert into attendance (id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, on_roster, device_time,
                                 review_status, review_reasons, server_seq)
         values ($1, '0193a7c4-0000-7000-8000-0000000000c0', 'JM1', 'JM1', 'JM-PENGJIANG', 'JM-K1', 'manual', false, '2026-11-20T06:05Z',
                 'held', '{off-roster}', next_sync_seq())`,
        [heldId],
      );
    });
    const list = await cli('review', 'list', '--site', 'JM-PENGJIANG');
    expect(list.stdout).toContain(heldId);
    expect(list.stdout).toContain('reasons: off-roster');
    expect((await cli('review', 'approve', heldId)).stdout).toContain('2 h credited');
    const again = await cli('review', 'approve', heldId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not held for review');
    expect((await cli('review', 'list')).stdout).toContain('0 record(s) held for review');
  }, 180_000);

  it('lists refusals, and refuses an invalid course', async () => {
    await onCliDatabase((client) =>
      client.query(
        `insert into sync_refusals (collection, record_id, kiosk_id, site_id, reason, message, document, document_md5)
         values ('lesson_progress', 'r1', 'JM-K1', 'JM-PENGJIANG', 'unknown-lesson', 'Course x has no lesson y.', '{}', md5('{}'))`,
      ),
    );
    expect((await cli('refusals', 'list')).stdout).toContain('unknown-lesson: Course x has no lesson y.');
    const manifest = join(folder, 'empty-course.json');
    await writeFile(manifest, JSON.stringify({ ...testCourse('empty', 1), lessons: [] }));
    const invalid = await cli('course', 'import', manifest);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('/lessons');
  }, 180_000);

  it('lists classes kiosks proposed, approves one (releasing its held check-in into the ledger) and refuses another', async () => {
    const [approveId, refuseId] = ['0193a7c4-0000-7000-8000-0000000000d0', '0193a7c4-0000-7000-8000-0000000000d1'];
    const checkInId = '0193a7c4-0000-7000-8000-0000000000d2';
    await onCliDatabase(async (client) => {
      for (const [id, title] of [[approveId, '村里识字'], [refuseId, 'mistake']]) {
        await client.query(
          `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, roster, proposed_by, approval, server_seq)
           values ($1, 'JM-PENGJIANG', $2, '2026-11-21T06:00Z', '2026-11-21T07:30Z', 'open', '[]', 'JM-K1', 'proposed', next_sync_seq())`,
          [id, title],
        );
      }
      await client.query(
        `insert into attendance (id, class_session_id, claimed_learner_id, site_id, kiosk_id, method, on_roster, device_time,
                                 review_status, review_reasons, server_seq)
         values ($1, $2, 'JM1', 'JM-PENGJIANG', 'JM-K1', 'manual', true, '2026-11-21T06:05Z', 'held', '{session-not-approved}', next_sync_seq())`,
        [checkInId, approveId],
      );
    });
    const list = await cli('sessions', 'proposed', 'list', '--site', 'JM-PENGJIANG');
    expect(list.stdout).toContain(`${approveId}  村里识字`);
    expect(list.stdout).toContain('1 check-in(s) held');
    expect(list.stdout).toContain('2 proposed session(s) waiting for a decision');
    expect((await cli('sessions', 'approve', approveId)).stdout).toContain('1 check-in(s) released, 1.5 h credited');
    expect((await cli('sessions', 'refuse', refuseId)).stdout).toContain('0 check-in(s) kept, earning nothing');
    const again = await cli('sessions', 'refuse', approveId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not a proposal waiting for a decision');
    expect((await cli('sessions', 'proposed', 'list')).stdout).toContain('0 proposed session(s)');
  }, 180_000);
});
