import { StrictMode, Suspense } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n/i18n';
import { KIOSK_CONFIG_ELEMENT_ID } from '../sync/protocol/kiosk-host-routes';
import type { KioskConfigAnswer } from '../sync/protocol/kiosk-host-api';
import type { KioskServices } from './kiosk-context';
import { lazyScreen, ScreenLoadBoundary, ScreenLoading } from './screens/lazy-screen';
import { whenHomeSettled } from './after-first-paint';
import './styles.css';
// The home's own glyphs, checked before the full font pieces and ready for its first layout (scripts/first-screen-fonts.ts).
import 'virtual:first-screen-fonts';

// Shown once in a kiosk's life: not worth a byte of every start's bundle.
const EnrolmentScreen = lazyScreen(async () => (await import('./screens/EnrolmentScreen')).EnrolmentScreen);

/** The config the kiosk host wrote into the page (electron/host/renderer-page.ts): no round trip before the first render. */
function pageConfig(): KioskConfigAnswer {
  const block = document.getElementById(KIOSK_CONFIG_ELEMENT_ID);
  if (!block?.textContent) throw new Error('The page carries no kiosk config: open it from the kiosk host.');
  return JSON.parse(block.textContent) as KioskConfigAnswer;
}

function boot() {
  // Marks for npm run bench -- startup (home_phases_ms): where a start spends its time.
  performance.mark('yx:boot');
  // Without this the browser may evict the kiosk's IndexedDB under storage pressure; the host's
  // journal keeps the records anyway, but a kept database means nothing to restore.
  void navigator.storage?.persist?.().catch(() => false);
  initI18n();
  const config = pageConfig();
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
  // The home first; the database and sync load once it has settled (App.tsx), or at once when a
  // screen needs them. The home's buttons work at once: a screen that needs the database waits.
  let services: Promise<KioskServices> | null = null;
  const loadServices = () =>
    (services ??= (async () => {
      performance.mark('yx:services');
      const { closeSessionsWhenEnded, openKioskServices, startKioskSync } = await import('./kiosk-services');
      const opened = await openKioskServices(config);
      performance.mark('yx:database');
      closeSessionsWhenEnded(opened.db);
      void whenHomeSettled().then(() => startKioskSync(opened));
      return opened;
    })());
  // Rendered within this task, not in one React schedules after it: the browser's next frame
  // already lays out and paints the home, instead of first drawing an empty page
  // (npm run bench -- startup).
  const reactRoot = createRoot(root);
  flushSync(() =>
    reactRoot.render(
      <StrictMode>
        <App config={config} loadServices={loadServices} />
      </StrictMode>,
    ),
  );
}

boot();
