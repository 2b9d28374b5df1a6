import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { expect, it } from 'vitest';
import { openKioskDatabase, QUERIES_KEPT_PER_COLLECTION } from '../../renderer/db/kiosk-database';

it('opens the kiosk database one collection at a time, giving the page a turn before each, and ends with every collection', async () => {
  let turns = 0;
  const betweenCollections = () => new Promise<void>((resolve) => setTimeout(() => (turns++, resolve()), 0));
  const db = await openKioskDatabase(`open-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }), { betweenCollections });
  try {
    const collections = Object.keys(db.collections).sort();
    expect(collections).toEqual(['attendance', 'card_revocations', 'class_sessions', 'courses', 'credit_ledger', 'issuer_keys', 'learners', 'lesson_progress']);
    expect(turns).toBe(collections.length);
  } finally {
    await db.close();
  }
});

it('keeps a bounded number of finished queries per collection however many one-off questions a long-running kiosk asks', async () => {
  const db = await openKioskDatabase(`queries-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  try {
    // A day's one-off questions: a record by its id, many times over.
    for (let i = 0; i < 5 * QUERIES_KEPT_PER_COLLECTION; i++) await db.attendance.findOne(`attendance-${i}`).exec();
    // RxDB trims its cache once the page is idle after a query (requestIdleCallback, or a timeout in Node).
    await expect.poll(() => db.attendance._queryCache._map.size, { timeout: 5_000 }).toBeLessThanOrEqual(QUERIES_KEPT_PER_COLLECTION);
  } finally {
    await db.close();
  }
});
