import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { App } from './App';
import { initI18n } from './i18n/i18n';
import { openKioskDatabase } from './db/kiosk-database';
import { reconcileWithJournal } from './db/record-journal';
import { KioskContext } from './kiosk-context';
import { startKioskReplication } from '../sync/kiosk/kiosk-replication';
import { reportKioskStatus } from './kiosk-status-report';
import { KioskHostRoutes, type KioskConfigAnswer } from '../sync/protocol/kiosk-host-api';
import { EnrolmentScreen } from './screens/EnrolmentScreen';
import './styles.css';

async function boot() {
  // Without this the browser may evict the kiosk's IndexedDB under storage pressure; the host's
  // journal keeps the records anyway, but a kept database means nothing to restore.
  void navigator.storage?.persist?.().catch(() => false);
  await initI18n();
  const config = (await (await fetch(KioskHostRoutes.config)).json()) as KioskConfigAnswer;
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  if (!config.enrolled) {
    // No database before enrolment: its name, and every record in it, belong to the kiosk id.
    createRoot(root).render(
      <StrictMode>
        <EnrolmentScreen onEnrolled={() => window.location.reload()} />
      </StrictMode>,
    );
    return;
  }
  const db = await openKioskDatabase(`yuexue-${config.kioskId.toLowerCase()}`, getRxStorageDexie());
  // Before replication starts, so what comes back from the journal is pushed with the rest.
  await reconcileWithJournal(db).catch((error: unknown) => console.error('The record journal could not be read:', error));
  const replication = startKioskReplication(db.collections, {
    baseUrl: '',
    pullIntervalMs: config.syncIntervalMs,
    retryMs: Math.min(config.syncIntervalMs, 5000),
  });
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
  reportKioskStatus(db);
  createRoot(root).render(
    <StrictMode>
      <KioskContext.Provider value={{ db, config, replication }}>
        <App />
      </KioskContext.Provider>
    </StrictMode>,
  );
}

void boot();
