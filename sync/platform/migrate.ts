import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATIONS_TABLE = 'schema_migrations';

export class DatabaseNewerThanCode extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `The database has migrations this platform version does not know (${unknownMigrations.join(', ')}). ` +
        'It was upgraded by a newer release: run that release, or restore a backup from before the upgrade.',
    );
  }
}

async function knownMigrationNames(): Promise<string[]> {
  const files = await readdir(MIGRATIONS_DIR);
  return files.filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();
}

/** Refuses a database that a newer release migrated, then applies pending migrations. */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  const known = new Set(await knownMigrationNames());
  const table = await pool.query<{ exists: boolean }>(
    `select to_regclass($1) is not null as exists`,
    [`public.${MIGRATIONS_TABLE}`],
  );
  if (table.rows[0]?.exists) {
    const applied = await pool.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE}`);
    const unknown = applied.rows.map((r) => r.name).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new DatabaseNewerThanCode(unknown);
  }
  const client = await pool.connect();
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      checkOrder: true,
      singleTransaction: true,
      log: () => undefined,
    });
  } finally {
    client.release();
  }
}
