/**
 * Electron main process: starts the kiosk host on the kiosk's files in its user data folder (or
 * uses YUEXUE_KIOSK_URL when `npm start` or `npm run kiosk` already runs one) and opens the
 * locked-down kiosk window on it. This file only wires Electron to plain modules (electron/host,
 * kiosk-window.ts, kiosk-recovery.ts, relaunch-policy.ts, …) that are tested without the binary.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKioskFromFolder } from './host/kiosk-folder';
import { createKioskBrowserWindow, devToolsAllowed } from './kiosk-window';
import { recoverFromChildProcessCrashes } from './kiosk-recovery';
import { kioskLifecycle } from './relaunch-policy';
import { claimSingleInstance } from './single-instance';
import { keepDisplayOn, startOnLogin } from './kiosk-startup';
import { applyPermissionPolicy } from './permission-policy';
import { enforceContentSecurityPolicy } from './kiosk-content-security';
import type { BrowserWindowLike, ElectronMainModule, ElectronShellApi } from './electron-api';

// `electron` is an optional dependency (its binary cannot always be installed), so it is loaded
// at run time and typed by the slice of it the shell uses.
const { app, BrowserWindow, dialog, Menu, powerSaveBlocker, session } = createRequire(import.meta.url)('electron') as ElectronMainModule;
const here = fileURLToPath(new URL('.', import.meta.url));
const KIOSK_PORT = Number(process.env.KIOSK_PORT ?? 4320);
const kioskMode = !process.env.YUEXUE_WINDOWED;
/** Renderer crashes in a row (each after a longer wait) before a kiosk relaunches itself. */
const MAX_RELOADS_IN_A_ROW = 6;

const log = (message: string) => console.log(`[yuexue] ${message}`);
let kioskWindow: BrowserWindowLike | null = null;

async function kioskUrl(): Promise<string> {
  if (process.env.YUEXUE_KIOSK_URL) return process.env.YUEXUE_KIOSK_URL;
  // Enrolled or not: a kiosk without an enrolment shows its enrolment screen and enrols itself.
  const host = await startKioskFromFolder(app.getPath('userData'), { rendererDir: join(app.getAppPath(), 'dist', 'renderer'), port: KIOSK_PORT });
  app.on('will-quit', () => void host.close());
  return host.url;
}

const shell: ElectronShellApi = {
  createWindow: (options) => new BrowserWindow(options),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  now: () => Date.now(),
  log,
};

if (claimSingleInstance(app, () => kioskWindow, log)) {
  const lifecycle = kioskLifecycle(app, kioskMode, log);
  if (kioskMode) process.on('uncaughtException', (error) => lifecycle.restart(`main process error: ${error.stack ?? error.message}`));

  void app.whenReady().then(async () => {
    // No menu: its accelerators (reload, DevTools, quit, zoom) would be a way out of the kiosk.
    Menu.setApplicationMenu(null);
    keepDisplayOn(powerSaveBlocker);
    if (startOnLogin(app, process.platform, kioskMode)) log('registered to start at login');
    try {
      const url = await kioskUrl();
      applyPermissionPolicy(session.defaultSession, url, log);
      enforceContentSecurityPolicy(session.defaultSession, url);
      const { window, recovery } = createKioskBrowserWindow(
        shell,
        { url, preloadPath: join(here, 'preload.cjs'), kioskMode, devTools: devToolsAllowed(process.env) },
        { maxFailuresInARow: MAX_RELOADS_IN_A_ROW, onKeepsFailing: (why) => lifecycle.restart(`the renderer keeps failing: ${why}`) },
      );
      kioskWindow = window;
      lifecycle.watch(window);
      recoverFromChildProcessCrashes(app, recovery);
    } catch (error) {
      dialog.showErrorBox('Yuexue Kiosk', error instanceof Error ? error.message : String(error));
      app.quit();
    }
  });
}
