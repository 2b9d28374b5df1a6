import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseNewerThanCode, migrateDatabase } from '../../sync/platform/migrate';
import type { PlatformDatabase } from '../../sync/platform/database';
import { openTestDatabase } from '../support/platform';

let database: PlatformDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

describe('migration guard', () => {
  it('re-running the migrations on an up-to-date database changes nothing', async () => {
    const before = await database.pool.query('select name from schema_migrations order by name');
    await migrateDatabase(database.pool);
    const after = await database.pool.query('select name from schema_migrations order by name');
    expect(after.rows).toEqual(before.rows);
    expect(after.rows.map((r: { name: string }) => r.name)).toContain('1764000000000_enrolment');
  });

  it('refuses a database that a newer release migrated, naming the unknown migration', async () => {
    await database.pool.query(`insert into schema_migrations (name, run_on) values ('1999999999999_from_the_future', now())`);
    const refusal = migrateDatabase(database.pool);
    await expect(refusal).rejects.toBeInstanceOf(DatabaseNewerThanCode);
    await expect(refusal).rejects.toThrow(/1999999999999_from_the_future.*newer release/);
  });
});
