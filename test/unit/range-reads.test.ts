import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import type { DBCore, Middleware } from 'dexie';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { RANGE_READ_FROM_KEYS, rangeReadMiddleware } from '../../renderer/db/range-reads';

/** Below every other middleware: how many keys each getMany that reaches IndexedDB asks for. */
const reachedIndexedDb: number[] = [];
const countGets: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'count-gets',
  level: 0,
  create: (down) => ({
    ...down,
    table(name) {
      const table = down.table(name);
      return {
        ...table,
        getMany(request) {
          reachedIndexedDb.push(request.keys.length);
          return table.getMany(request);
        },
      };
    },
  }),
};

let db: KioskDatabase;

function entry(n: number) {
  return {
    id: `entry-${String(n).padStart(5, '0')}`,
    learnerId: 'GD2026000101',
    sourceType: 'attendance' as const,
    sourceId: `source-${n}`,
    hours: 2,
    credits: 0.1,
    status: 'confirmed' as const,
    earnedOn: '2026-11-23',
    createdAt: '2026-11-23T08:00:00.000Z',
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const many = (ns: number[]) => ns.map((n) => entry(n));

beforeEach(async () => {
  reachedIndexedDb.length = 0;
  const storage = getRxStorageDexie({
    indexedDB,
    IDBKeyRange,
    onCreate: (dexie) => void dexie.use(rangeReadMiddleware).use(countGets),
  });
  db = await openKioskDatabase(`range-reads-${Math.random().toString(36).slice(2)}`, storage);
});

afterEach(async () => {
  await db.close();
});

describe('reading many documents by id as one range', () => {
  it('stores a page into an empty collection without one read a document', async () => {
    const { error } = await db.credit_ledger.bulkInsert(many(range(1, 500)));
    expect(error).toEqual([]);
    expect(await db.credit_ledger.count().exec()).toBe(500);
    expect(reachedIndexedDb.filter((keys) => keys >= RANGE_READ_FROM_KEYS)).toEqual([]);
  });

  it('finds what is held and what is not, in the order asked, as reading each would', async () => {
    await db.credit_ledger.bulkInsert(many(range(100, 199)));
    reachedIndexedDb.length = 0;
    // Half held, half not, asked for out of order; the range between them holds 50 rows.
    const asked = [...range(150, 199), ...range(200, 249)].reverse().map((n) => entry(n).id);
    const found = await db.credit_ledger.findByIds(asked).exec();
    expect([...found.keys()].sort()).toEqual(range(150, 199).map((n) => entry(n).id));
    expect(found.get(entry(150).id)!.sourceId).toBe('source-150');
    expect(reachedIndexedDb.filter((keys) => keys >= RANGE_READ_FROM_KEYS)).toEqual([]);
    // Stored over them, the held ones are updated and the others added.
    const { error } = await db.credit_ledger.bulkUpsert(many(range(150, 249)).map((e) => ({ ...e, status: 'provisional' as const })));
    expect(error).toEqual([]);
    expect(await db.credit_ledger.count().exec()).toBe(150);
    expect((await db.credit_ledger.findOne(entry(160).id).exec())!.status).toBe('provisional');
  });

  it('reads each key when the range holds more rows than were asked for', async () => {
    await db.credit_ledger.bulkInsert(many(range(1, 600)));
    reachedIndexedDb.length = 0;
    // Every tenth entry: 60 keys over a range of 591 rows.
    const asked = range(1, 60).map((n) => entry(n * 10).id);
    const found = await db.credit_ledger.findByIds(asked).exec();
    expect(found.size).toBe(60);
    expect(reachedIndexedDb).toContain(60);
  });
});
