import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../sync/platform/database';
import { partitionTables } from '../../sync/platform/partition-tables';
import { changedPgliteDump, databaseUrl, onServer } from './migrated-database';

/**
 * Few partitions, so a test run's few learners and sites still land in more than one, and the
 * step stays quick on an empty database.
 */
const TEST_PARTITIONS = 4;

/**
 * vitest globalSetup of the integration-partitioned project, after migrated-database.ts: copies
 * the migrated database and runs the operator's partition step on it (partition-tables.ts), so
 * the sync tests of that project run on partitioned tables. Its template or dump reaches the
 * workers as YX_TEST_PARTITIONED_TEMPLATE or YX_TEST_PARTITIONED_PGLITE_SNAPSHOT, which
 * migrated-database.ts hands out where the project sets YX_TEST_SCHEMA=partitioned.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const migrated = process.env.YX_TEST_MIGRATED_TEMPLATE;
    if (!migrated) throw new Error('test/support/migrated-database.ts must run before partitioned-database.ts');
    const name = `yx_test_template_${randomBytes(5).toString('hex')}`;
    await onServer(base, (client) => client.query(`create database ${name} template ${migrated}`));
    const database = await openDatabase({ databaseUrl: databaseUrl(base, name), poolSize: 1 });
    try {
      await partitionTables(database.pool, TEST_PARTITIONS);
    } finally {
      await database.close();
    }
    process.env.YX_TEST_PARTITIONED_TEMPLATE = name;
    return async () => {
      delete process.env.YX_TEST_PARTITIONED_TEMPLATE;
      await onServer(base, (client) => client.query(`drop database if exists ${name} with (force)`));
    };
  }
  const migrated = process.env.YX_TEST_PGLITE_SNAPSHOT;
  if (!migrated) throw new Error('test/support/migrated-database.ts must run before partitioned-database.ts');
  const folder = await mkdtemp(join(tmpdir(), 'yx-test-pglite-partitioned-'));
  const dump = await changedPgliteDump(new Blob([await readFile(migrated)]), (pool) => partitionTables(pool, TEST_PARTITIONS));
  const file = join(folder, 'partitioned.tar.gz');
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  process.env.YX_TEST_PARTITIONED_PGLITE_SNAPSHOT = file;
  return async () => {
    delete process.env.YX_TEST_PARTITIONED_PGLITE_SNAPSHOT;
    await rm(folder, { recursive: true, force: true });
  };
}
