import type { DBCore, DBCoreGetManyRequest, DBCoreRangeType, DBCoreTable, Middleware } from 'dexie';

/** Fewer keys than this are read one request each, as Dexie does: a count first would cost more. */
export const RANGE_READ_FROM_KEYS = 50;

const RANGE = 2 as DBCoreRangeType.Range;

function rangeReads(table: DBCoreTable): DBCoreTable {
  const primaryKey = table.schema.primaryKey;
  const { extractKey } = primaryKey;
  if (!extractKey) return table;
  return {
    ...table,
    async getMany(request: DBCoreGetManyRequest) {
      const { keys, trans } = request;
      // String keys compare in JavaScript as IndexedDB compares them (by UTF-16 code unit).
      if (keys.length < RANGE_READ_FROM_KEYS || !keys.every((key) => typeof key === 'string')) return table.getMany(request);
      let lower = keys[0] as string;
      let upper = lower;
      for (const key of keys as string[]) {
        if (key < lower) lower = key;
        if (key > upper) upper = key;
      }
      const query = { index: primaryKey, range: { type: RANGE, lower, upper } };
      // Only when the range holds no more rows than were asked for: into a store that holds many
      // rows between the keys, one request a key reads less.
      if ((await table.count({ trans, query })) > keys.length) return table.getMany(request);
      const { result } = await table.query({ trans, query, values: true });
      const byKey = new Map<unknown, unknown>(result.map((row: unknown) => [extractKey(row), row]));
      return keys.map((key) => byKey.get(key));
    },
  };
}

/**
 * RxDB's Dexie storage reads every document it is about to write (to find conflicts) with one
 * IndexedDB get per key: on a new kiosk, 5,000 gets for every page of a first pull that all find
 * nothing, and a third of the renderer's busy time while a big site's learners come in (a
 * profile of `npm run bench -- initial-pull`). Many keys are read instead as one range: a count,
 * then the rows between the lowest and the highest key, when there are no more of them than keys.
 * Registered on each of RxDB's Dexie databases (getRxStorageDexie's onCreate).
 */
export const rangeReadMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'yuexue-range-reads',
  create: (down) => ({ ...down, table: (name: string) => rangeReads(down.table(name)) }),
};
