import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { startKioskReplication, type KioskReplication } from '../../sync/kiosk/kiosk-replication';

/**
 * Where a Node kiosk keeps its records: fake-indexeddb is IndexedDB's behaviour in pure
 * JavaScript and slows down as it fills (far more than Chromium's IndexedDB); RxDB's memory
 * storage leaves the replication, the host and the platform as the cost.
 */
export type NodeKioskStorage = 'memory' | 'fake-indexeddb';

/**
 * The renderer's database and replication, run in Node against a kiosk host: the kiosk's own
 * sync code (batch sizes, modifiers, conflict handlers) without a browser.
 */
export async function openNodeKiosk(name: string, storage: NodeKioskStorage): Promise<{ db: KioskDatabase; sync(hostUrl: string, fetch?: typeof globalThis.fetch): KioskReplication; close(): Promise<void> }> {
  const db = await openKioskDatabase(`${name}-${Date.now()}`, storage === 'memory' ? getRxStorageMemory() : getRxStorageDexie({ indexedDB, IDBKeyRange }));
  let replication: KioskReplication | null = null;
  return {
    db,
    sync(hostUrl, fetch) {
      replication = startKioskReplication(db.collections, { baseUrl: hostUrl, pullIntervalMs: 60_000, retryMs: 200, ...(fetch ? { fetch } : {}) });
      return replication;
    },
    async close() {
      await replication?.stop();
      await db.close();
    },
  };
}
