import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, prepared, type PlatformDatabase } from '../../sync/platform/database';

// The push path's named statements (prepared() in sync/platform/database.ts). PGlite is one
// session behind pglite-socket: a statement prepared by a connection the pool has since thrown
// away is still there when the next connection prepares the same name.
let database: PlatformDatabase;

beforeAll(async () => {
  database = await openDatabase({});
});

afterAll(async () => {
  await database.close();
});

it('prepares a push statement again on a new connection after the pool discarded the old one', async () => {
  const first = await database.pool.connect();
  expect((await first.query<{ n: number }>(prepared(first, 'probe', 'select $1::int as n', [1]))).rows).toEqual([{ n: 1 }]);
  // Discarded as withTransaction discards a connection that could not roll back.
  first.release(true);
  const second = await database.pool.connect();
  try {
    expect((await second.query<{ n: number }>(prepared(second, 'probe', 'select $1::int as n', [2]))).rows).toEqual([{ n: 2 }]);
    // The same connection reuses its statement.
    expect((await second.query<{ n: number }>(prepared(second, 'probe', 'select $1::int as n', [3]))).rows).toEqual([{ n: 3 }]);
  } finally {
    second.release();
  }
});
