import type { BrowserWindowLike, ElectronShellApi, KioskWindowOptions } from './electron-api';
import { blockKioskEscapeShortcuts } from './kiosk-shortcuts';
import { KioskRecovery, recoverFromCrashes, type RecoveryOptions } from './kiosk-recovery';

export interface KioskWindowSettings {
  url: string;
  preloadPath: string;
  /** Full-screen kiosk lockdown; off for a staff laptop or development. */
  kioskMode: boolean;
  /** DevTools open at all; only with YUEXUE_DEVTOOLS=1 (see devToolsAllowed). */
  devTools: boolean;
}

/** The variable a developer or technician sets to get DevTools; nothing else opens them. */
export const DEVTOOLS_VARIABLE = 'YUEXUE_DEVTOOLS';

export function devToolsAllowed(env: Record<string, string | undefined>): boolean {
  return env[DEVTOOLS_VARIABLE] === '1';
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
      devTools: settings.devTools,
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

/** devTools: false already refuses them; closing any that open anyway is the second lock. */
export function keepDevToolsClosed(window: BrowserWindowLike, api: ElectronShellApi): void {
  window.webContents.on('devtools-opened', () => {
    api.log(`DevTools closed: set ${DEVTOOLS_VARIABLE}=1 to allow them`);
    window.webContents.closeDevTools();
  });
}

export interface KioskBrowserWindow {
  window: BrowserWindowLike;
  recovery: KioskRecovery;
}

/** Opens the kiosk host's page in an Electron BrowserWindow, locked down and self-healing. */
export function createKioskBrowserWindow(api: ElectronShellApi, settings: KioskWindowSettings, recoveryOptions: RecoveryOptions): KioskBrowserWindow {
  const window = api.createWindow(kioskWindowOptions(settings));
  lockDownNavigation(window, settings.url, api);
  if (!settings.devTools) keepDevToolsClosed(window, api);
  // Windowed development keeps Ctrl+R and friends.
  if (settings.kioskMode) blockKioskEscapeShortcuts(window.webContents, api.log);
  const recovery = new KioskRecovery(window, settings.url, api, recoveryOptions);
  recoverFromCrashes(window, recovery);
  // A failed first load (host still starting) comes back through did-fail-load and is retried there.
  window.loadURL(settings.url).catch(() => undefined);
  return { window, recovery };
}
