import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { App } from './App';
import { initI18n } from './i18n/i18n';
import { openKioskDatabase } from './db/kiosk-database';
import { KioskContext } from './kiosk-context';
import { startKioskReplication } from '../sync/kiosk/kiosk-replication';
import type { PublicKioskConfig } from '../electron/host/kiosk-config';
import './styles.css';

async function boot() {
  await initI18n();
  const config = (await (await fetch('/kiosk/config')).json()) as PublicKioskConfig;
  const db = await openKioskDatabase(`yuexue-${config.kioskId.toLowerCase()}`, getRxStorageDexie());
  const replication = startKioskReplication(db.collections, {
    baseUrl: '',
    pullIntervalMs: config.syncIntervalMs,
    retryMs: Math.min(config.syncIntervalMs, 5000),
  });
  window.addEventListener('online', () => replication.syncNow());
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <KioskContext.Provider value={{ db, config, replication }}>
        <App />
      </KioskContext.Provider>
    </StrictMode>,
  );
}

void boot();
