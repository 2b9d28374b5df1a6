import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { App } from './App';
import { initI18n } from './i18n/i18n';
import { openKioskDatabase } from './db/kiosk-database';
import { KioskContext } from './kiosk-context';
import { startKioskReplication } from '../sync/kiosk/kiosk-replication';
import type { KioskConfigAnswer } from '../electron/host/kiosk-config';
import { EnrolmentScreen } from './screens/EnrolmentScreen';
import './styles.css';

async function boot() {
  await initI18n();
  const config = (await (await fetch('/kiosk/config')).json()) as KioskConfigAnswer;
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
  const replication = startKioskReplication(db.collections, {
    baseUrl: '',
    pullIntervalMs: config.syncIntervalMs,
    retryMs: Math.min(config.syncIntervalMs, 5000),
  });
  window.addEventListener('online', () => replication.syncNow());
  createRoot(root).render(
    <StrictMode>
      <KioskContext.Provider value={{ db, config, replication }}>
        <App />
      </KioskContext.Provider>
    </StrictMode>,
  );
}

void boot();
