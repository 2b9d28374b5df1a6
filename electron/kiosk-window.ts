import type { BrowserWindowLike, ElectronShellApi, KioskWindowOptions } from './electron-api';

export interface KioskWindowSettings {
  url: string;
  preloadPath: string;
  /** Full-screen kiosk lockdown; off for a staff laptop or development. */
  kioskMode: boolean;
}

/** Renderer isolation: no Node in the page, a sandboxed renderer, only the preload's bridge. */
export function kioskWindowOptions(settings: KioskWindowSettings): KioskWindowOptions {
  return {
    kiosk: settings.kioskMode,
    fullscreen: settings.kioskMode,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: settings.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  };
}

/** A learner must never leave the kiosk: no navigation off the kiosk host, no new windows. */
export function lockDownNavigation(window: BrowserWindowLike, kioskUrl: string, api: ElectronShellApi): void {
  const origin = new URL(kioskUrl).origin;
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) {
      event.preventDefault();
      api.log(`blocked navigation to ${url}`);
    }
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    api.log(`blocked new window for ${url}`);
    return { action: 'deny' };
  });
}

const RECOVERY_DELAY_MS = 1000;

/**
 * A kiosk nobody watches must heal itself: a crashed or hung renderer, or a page that failed to
 * load (host still starting), is reloaded. Records are safe in IndexedDB across the reload.
 */
export function recoverFromCrashes(window: BrowserWindowLike, kioskUrl: string, api: ElectronShellApi): void {
  const reload = (why: string) => {
    api.log(`reloading the kiosk: ${why}`);
    api.setTimeout(() => void window.loadURL(kioskUrl), RECOVERY_DELAY_MS);
  };
  window.webContents.on('render-process-gone', (_event, details) => reload(`renderer gone (${details.reason})`));
  window.webContents.on('did-fail-load', (_event, code, description) => reload(`load failed (${code} ${description})`));
  window.on('unresponsive', () => reload('renderer unresponsive'));
}

export function openKioskWindow(api: ElectronShellApi, settings: KioskWindowSettings): BrowserWindowLike {
  const window = api.createWindow(kioskWindowOptions(settings));
  lockDownNavigation(window, settings.url, api);
  recoverFromCrashes(window, settings.url, api);
  void window.loadURL(settings.url);
  return window;
}
