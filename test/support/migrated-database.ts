import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { openDatabase } from '../../sync/platform/database';
import { migrateDatabase } from '../../sync/platform/migrate';

/**
 * Every test platform used to run all the SQL migrations on a database of its own: on a busy
 * 2-core machine, seconds on PostgreSQL and ten seconds and more on PGlite (its initdb
 * and the migrations), for each of some fifty platforms a run. Instead the integration and e2e projects
 * migrate one database once (this module is their vitest globalSetup), and test platforms start
 * from a copy: a PostgreSQL database created from it as a template, or a PGlite loaded from its
 * data folder dump. The platform still runs migrateDatabase at start, which finds nothing to do;
 * migration-rechecks and the CLI tests migrate empty databases as before.
 *
 * YX_TEST_MIGRATED_TEMPLATE (the template's name) and YX_TEST_PGLITE_SNAPSHOT (the dump's file)
 * reach the test workers through the environment, which they inherit from the process that ran
 * this setup. Outside vitest (the benches) neither is set and platforms migrate their own database.
 */

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function onServer<T>(base: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** vitest globalSetup: makes the migrated database (unless a project set up before made it) and removes it afterwards. */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const base = process.env.DATABASE_URL;
  if (base) {
    if (process.env.YX_TEST_MIGRATED_TEMPLATE) return undefined;
    const name = `yx_test_template_${randomBytes(5).toString('hex')}`;
    await onServer(base, (client) => client.query(`create database ${name}`));
    // Every connection to it must be gone before it can serve as a template.
    const database = await openDatabase({ databaseUrl: databaseUrl(base, name), poolSize: 1 });
    try {
      await migrateDatabase(database.pool);
    } finally {
      await database.close();
    }
    process.env.YX_TEST_MIGRATED_TEMPLATE = name;
    return async () => {
      delete process.env.YX_TEST_MIGRATED_TEMPLATE;
      await onServer(base, (client) => client.query(`drop database if exists ${name} with (force)`));
    };
  }
  if (process.env.YX_TEST_PGLITE_SNAPSHOT) return undefined;
  const folder = await mkdtemp(join(tmpdir(), 'yx-test-pglite-'));
  const dump = await migratedPgliteDump();
  const file = join(folder, 'migrated.tar.gz');
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  process.env.YX_TEST_PGLITE_SNAPSHOT = file;
  return async () => {
    delete process.env.YX_TEST_PGLITE_SNAPSHOT;
    await rm(folder, { recursive: true, force: true });
  };
}

/**
 * A project whose env sets YX_TEST_SCHEMA=partitioned (vitest.config.ts) gets the migrated
 * database with its large tables partitioned (test/support/partitioned-database.ts) instead.
 */
function partitionedSchema(): boolean {
  return process.env.YX_TEST_SCHEMA === 'partitioned';
}

/** On a PostgreSQL server: the template a scratch database is created from, when this run made one. */
export function migratedTemplate(): string | undefined {
  return partitionedSchema() ? process.env.YX_TEST_PARTITIONED_TEMPLATE : process.env.YX_TEST_MIGRATED_TEMPLATE;
}

let snapshot: Promise<Blob> | undefined;

/** For an in-memory PGlite: the migrated data folder to load, read once a test file. */
export function migratedPgliteSnapshot(): Promise<Blob> | undefined {
  const file = partitionedSchema() ? process.env.YX_TEST_PARTITIONED_PGLITE_SNAPSHOT : process.env.YX_TEST_PGLITE_SNAPSHOT;
  if (!file) return undefined;
  snapshot ??= readFile(file).then((bytes) => new Blob([bytes]));
  return snapshot;
}

/** A fresh in-memory PGlite, migrated through the pg client as the platform does it, as a gzipped data folder. */
function migratedPgliteDump(): Promise<Blob> {
  return changedPgliteDump(undefined, migrateDatabase);
}

/** An in-memory PGlite (from a data folder dump, or fresh) after change ran on it through the pg client, as a gzipped data folder. */
export async function changedPgliteDump(from: Blob | undefined, change: (pool: pg.Pool) => Promise<unknown>): Promise<Blob> {
  const lite = await PGlite.create({ dataDir: 'memory://', loadDataDir: from });
  try {
    const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0 });
    await server.start();
    const pool = new pg.Pool({ connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`, max: 1 });
    try {
      await change(pool);
    } finally {
      await pool.end();
      await server.stop();
    }
    return await lite.dumpDataDir('gzip');
  } finally {
    await lite.close();
  }
}
