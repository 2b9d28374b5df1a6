import { StrictMode, Suspense } from 'react';
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
import { lazyScreen, ScreenLoadBoundary, ScreenLoading } from './screens/lazy-screen';
import { afterFirstPaint } from './after-first-paint';
import './styles.css';

// Shown once in a kiosk's life: not worth a byte of every start's bundle.
const EnrolmentScreen = lazyScreen(async () => (await import('./screens/EnrolmentScreen')).EnrolmentScreen);

async function boot() {
  // Marks for npm run bench -- startup, which reports where a start spends its time.
  performance.mark('yx:boot');
  // Without this the browser may evict the kiosk's IndexedDB under storage pressure; the host's
  // journal keeps the records anyway, but a kept database means nothing to restore.
  void navigator.storage?.persist?.().catch(() => false);
  const configAnswer = fetch(KioskHostRoutes.config).then((response) => response.json() as Promise<KioskConfigAnswer>);
  await initI18n();
  const config = await configAnswer;
  performance.mark('yx:config');
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  if (!config.enrolled) {
    // No database before enrolment: its name, and every record in it, belong to the kiosk id.
    createRoot(root).render(
      <StrictMode>
        <ScreenLoadBoundary>
          <Suspense fallback={<ScreenLoading />}>
            <EnrolmentScreen onEnrolled={() => window.location.reload()} />
          </Suspense>
        </ScreenLoadBoundary>
      </StrictMode>,
    );
    return;
  }
  const db = await openKioskDatabase(`yuexue-${config.kioskId.toLowerCase()}`, getRxStorageDexie());
  performance.mark('yx:database');
  // Made now (the sync indicator watches it) but started after the home is on screen: the home
  // needs only the database, and the first pulls and pushes would slow its first paint.
  const replication = startKioskReplication(db.collections, {
    baseUrl: '',
    pullIntervalMs: config.syncIntervalMs,
    retryMs: Math.min(config.syncIntervalMs, 5000),
    autoStart: false,
  });
  createRoot(root).render(
    <StrictMode>
      <KioskContext.Provider value={{ db, config, replication }}>
        <App />
      </KioskContext.Provider>
    </StrictMode>,
  );
  await afterFirstPaint();
  performance.mark('yx:painted');
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

void boot();
