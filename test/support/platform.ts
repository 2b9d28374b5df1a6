import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPlatform, type RunningPlatform } from '../../sync/platform/start-platform';
import { migrateDatabase } from '../../sync/platform/migrate';
import { openDatabase, withSyncWrite, type PlatformDatabase } from '../../sync/platform/database';
import { DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { tablesArePartitioned } from '../../sync/platform/partition-tables';
import { migratedPgliteSnapshot, migratedTemplate } from './migrated-database';

/**
 * With DATABASE_URL set, every test file gets a scratch database of its own on that server
 * (dropped afterwards); without it, an in-memory PGlite. `migrated` asks for one that already has
 * every migration, copied from the run's migrated template (test/support/migrated-database.ts).
 */
export async function scratchDatabaseUrl(options: { migrated?: boolean } = {}): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: undefined, drop: async () => undefined };
  const name = `yx_test_${randomBytes(5).toString('hex')}`;
  const template = options.migrated ? migratedTemplate() : undefined;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: base });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export const TEST_ADMIN_TOKEN = 'test-admin-token';

/** A platform on a scratch database that starts out migrated; startPlatform's own migration run then finds nothing to do. */
export async function startTestPlatform(contentDir?: string): Promise<RunningPlatform & { databaseUrl: string | undefined }> {
  const scratch = await scratchDatabaseUrl({ migrated: true });
  const platform = await startPlatform({
    databaseUrl: scratch.url,
    pgliteDataDump: scratch.url ? undefined : await migratedPgliteSnapshot(),
    adminToken: TEST_ADMIN_TOKEN,
    contentDir,
  });
  // The integration-partitioned project would prove nothing if its platforms fell back to plain tables.
  if ((process.env.YX_TEST_SCHEMA === 'partitioned') !== (await tablesArePartitioned(platform.database.pool))) {
    await platform.close();
    await scratch.drop();
    throw new Error(`YX_TEST_SCHEMA is ${process.env.YX_TEST_SCHEMA ?? 'unset'}, but the test database's tables are ${process.env.YX_TEST_SCHEMA === 'partitioned' ? 'not ' : ''}partitioned`);
  }
  return {
    ...platform,
    databaseUrl: scratch.url,
    async close() {
      await platform.close();
      await scratch.drop();
    },
  };
}

export async function openTestDatabase(): Promise<PlatformDatabase> {
  const scratch = await scratchDatabaseUrl({ migrated: true });
  const database = await openDatabase({ databaseUrl: scratch.url, pgliteDataDump: scratch.url ? undefined : await migratedPgliteSnapshot() });
  await migrateDatabase(database.pool);
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

export interface DemoCard {
  learnerId: string;
  name: string;
  text: string;
}

/** A demo learner's signed card, as the seed issued it: the first learner's, or the last's. */
export async function demoCard(pool: pg.Pool, which: 'first' | 'last' = 'first'): Promise<DemoCard> {
  const { rows } = await pool.query<{ learner_id: string; display_name: string; card_text: string }>(
    `select c.learner_id, l.display_name, c.card_text from learner_cards c join learners l on l.id = c.learner_id
      order by c.serial ${which === 'first' ? 'asc' : 'desc'} limit 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('No learner cards: seed the demo first.');
  return { learnerId: row.learner_id, name: row.display_name, text: row.card_text };
}

/**
 * Moves the demo site's class sessions to start ten minutes from now (two hours long), so their
 * check-in window (from 30 minutes before the start) is open whenever the tests run: the demo
 * seed plans its class at 14:00 Guangdong time, and check-in keeps to the window.
 */
export async function demoSessionsOpenNow(pool: pg.Pool): Promise<void> {
  await withSyncWrite(pool, (client) =>
    client.query(
      `update class_sessions set starts_at = now() + interval '10 minutes', ends_at = now() + interval '130 minutes', server_seq = next_sync_seq()
        where site_id = $1`,
      [DEMO_SITE_ID],
    ),
  );
}
