import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openKioskDatabase, type KioskDatabase } from './db/kiosk-database';
import { rangeReadMiddleware } from './db/range-reads';
import { reconcileWithJournal } from './db/record-journal';
import type { KioskServices } from './kiosk-context';
import { reportKioskStatus } from './kiosk-status-report';
import { closeEndedSessions } from './staff/session-status';
import { startKioskReplication } from '../sync/kiosk/kiosk-replication';
import type { EnrolledKioskConfig } from '../sync/protocol/kiosk-host-api';
import { yieldToPage } from './after-first-paint';

/**
 * The kiosk's database and sync, a chunk of their own (RxDB, Dexie and the sync code are half of
 * the renderer's start-up JavaScript): main.tsx puts the home on screen first and loads this
 * beside it. Replication is made here but started by startKioskSync.
 */
export async function openKioskServices(config: EnrolledKioskConfig): Promise<KioskServices> {
  const storage = getRxStorageDexie({ onCreate: (dexie) => void dexie.use(rangeReadMiddleware) });
  const db = await openKioskDatabase(`yuexue-${config.kioskId.toLowerCase()}`, storage, { betweenCollections: yieldToPage });
  const replication = startKioskReplication(db.collections, {
    baseUrl: '',
    pullIntervalMs: config.syncIntervalMs,
    retryMs: Math.min(config.syncIntervalMs, 5000),
    autoStart: false,
  });
  return { db, config, replication };
}

/** How often the kiosk looks for open sessions past their end, to close them itself. */
const ENDED_SESSION_CHECK_MS = 30_000;

/**
 * A class nobody closed must not go on taking check-ins: past its end the kiosk closes it, with
 * a status version of its own like any staff change, so the platform takes the close too. It
 * looks whenever the open sessions change (a pull brings one) and on a timer (one ends).
 */
export function closeSessionsWhenEnded(db: KioskDatabase): void {
  const close = () => void closeEndedSessions(db, new Date());
  db.class_sessions.find({ selector: { status: 'open' } }).$.subscribe(close);
  setInterval(close, ENDED_SESSION_CHECK_MS);
}

/** What the kiosk does in the background once the home is up: the journal check, then sync. */
export async function startKioskSync({ db, replication }: KioskServices): Promise<void> {
  // Before replication starts, so what comes back from the journal is pushed with the rest.
  await reconcileWithJournal(db).catch((error: unknown) => console.error('The record journal could not be read:', error));
  // After each exchange with the platform, the journal lets go of what the platform confirmed.
  let reconciling = false;
  replication.lastSuccessAt$.subscribe(() => {
    if (reconciling) return;
    reconciling = true;
    void reconcileWithJournal(db)
      .catch(() => undefined)
      .finally(() => (reconciling = false));
  });
  window.addEventListener('online', () => replication.syncNow());
  await replication.start();
  reportKioskStatus(db);
}
