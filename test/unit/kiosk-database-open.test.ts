import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { expect, it } from 'vitest';
import { openKioskDatabase } from '../../renderer/db/kiosk-database';

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
