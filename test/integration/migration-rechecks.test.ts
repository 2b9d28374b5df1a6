import { readdir } from 'node:fs/promises';
import { runner } from 'node-pg-migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeLedger } from '../../sync/platform/admin/ledger-recompute';
import { openDatabase, type PlatformDatabase } from '../../sync/platform/database';
import { migrateDatabase, MIGRATIONS_DIR } from '../../sync/platform/migrate';
import { scratchDatabaseUrl } from '../support/platform';

let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>;
let database: PlatformDatabase;
const SESSION = '0193a7c4-0000-7000-8000-0000000000d0';
const RECHECKS = '1764400000000_platform-rechecks.sql';
/** Migrations from the re-checks migration on, which the down test takes back. */
let fromRechecks = 0;

async function migrate(direction: 'up' | 'down', count: number): Promise<void> {
  const client = await database.pool.connect();
  try {
    await runner({ dbClient: client, dir: MIGRATIONS_DIR, migrationsTable: 'schema_migrations', direction, count, singleTransaction: true, log: () => undefined });
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  scratch = await scratchDatabaseUrl();
  database = await openDatabase({ databaseUrl: scratch.url });
  const migrations = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const before = migrations.indexOf(RECHECKS);
  fromRechecks = migrations.length - before;
  // Everything before the re-checks migration, then data as the old platform stored it.
  await migrate('up', before);
  await database.pool.query(`
    insert into sites (id, name) values ('S1', 's');
    insert into kiosks (id, site_id, name, token_hash) values ('K1', 'S1', 'k', 'x');
    insert into learners (id, display_name, home_site_id, server_seq) values ('L1', 'l', 'S1', nextval('sync_seq'));
    insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
      values ('${SESSION}', 'S1', 'c', '2026-11-20T06:00Z', '2026-11-20T08:00Z', 'open', nextval('sync_seq'));
    insert into attendance (id, class_session_id, learner_id, site_id, kiosk_id, method, on_roster, device_time, server_seq) values
      ('0193a7c4-0000-7000-8000-0000000000d1', '${SESSION}', 'L1', 'S1', 'K1', 'manual', true, '2026-11-20T06:05Z', nextval('sync_seq')),
      ('0193a7c4-0000-7000-8000-0000000000d2', '${SESSION}', 'GHOST', 'S1', 'K1', 'manual', true, '2026-11-20T06:05Z', nextval('sync_seq'));
    insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq) values
      ('0193a7c4-0000-7000-8000-0000000000e1', 'L1', 'attendance', '0193a7c4-0000-7000-8000-0000000000d1', 2, 0.2, '2026-11-20', nextval('sync_seq')),
      ('0193a7c4-0000-7000-8000-0000000000e2', 'GHOST', 'attendance', '0193a7c4-0000-7000-8000-0000000000d2', 2, 0.2, '2026-11-20', nextval('sync_seq'));
  `);
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

describe('the re-checks migration on a platform with data', () => {
  it('holds attendance of learners the platform never had, keeps their ledger entries, and stamps scope', async () => {
    await migrateDatabase(database.pool);
    const { rows } = await database.pool.query(`select claimed_learner_id, learner_id, review_status, review_reasons, credit_seq from attendance order by claimed_learner_id`);
    expect(rows).toMatchObject([
      { claimed_learner_id: 'GHOST', learner_id: null, review_status: 'held', review_reasons: ['unknown-learner'], credit_seq: null },
      { claimed_learner_id: 'L1', learner_id: 'L1', review_status: null, credit_seq: expect.anything() },
    ]);
    expect((await database.pool.query('select count(*)::int as n from credit_ledger')).rows[0].n).toBe(2);
    expect((await database.pool.query('select learner_id, site_id from learner_sites')).rows).toEqual([{ learner_id: 'L1', site_id: 'S1' }]);
    // The credited entry matches the rule; the orphan is listed for an operator, not deleted.
    const check = await recomputeLedger(database.pool, { apply: false });
    expect(check.differences).toMatchObject([{ kind: 'orphan', learnerId: 'GHOST' }]);
    await expect(database.pool.query(`insert into attendance (id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, on_roster, device_time, server_seq)
      values ('0193a7c4-0000-7000-8000-0000000000d3', '${SESSION}', 'NOBODY', 'NOBODY', 'S1', 'K1', 'manual', true, now(), 1)`)).rejects.toThrow(/foreign key/);
  });

  it('migrates down again', async () => {
    await migrate('down', fromRechecks);
    const { rows } = await database.pool.query(`select learner_id from attendance order by learner_id`);
    expect(rows.map((r) => r.learner_id)).toEqual(['GHOST', 'L1']);
  });
});
