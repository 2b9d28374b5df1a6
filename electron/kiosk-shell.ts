import type { BrowserWindowLike, ElectronMainModule, ElectronShellApi } from './electron-api';
import { createKioskBrowserWindow, devToolsAllowed } from './kiosk-window';
import { recoverFromChildProcessCrashes } from './kiosk-recovery';
import { kioskLifecycle } from './relaunch-policy';
import { claimSingleInstance } from './single-instance';
import { keepDisplayOn, startOnLogin } from './kiosk-startup';
import { applyPermissionPolicy } from './permission-policy';
import { enforceContentSecurityPolicy } from './kiosk-content-security';

/** Renderer failures in a row (each after a longer wait) before a kiosk relaunches itself. */
export const MAX_RELOADS_IN_A_ROW = 6;

export interface KioskShellSetup {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  preloadPath: string;
  /** Starts the kiosk host (or names one already running) once Electron is ready; its URL. */
  kioskUrl(): Promise<string>;
  /** Where a main-process error that nothing caught is reported. */
  onUncaughtException(listener: (error: Error) => void): void;
  setTimeout: ElectronShellApi['setTimeout'];
  now: ElectronShellApi['now'];
  log(message: string): void;
}

/**
 * Everything the Electron main process does, against the slice of Electron it is given: the real
 * module in main.ts, a fake in the tests. Returns false when another kiosk already runs here.
 */
export function startKioskShell(electron: ElectronMainModule, setup: KioskShellSetup): { ready: Promise<void> } | false {
  const { app } = electron;
  const { log } = setup;
  const kioskMode = !setup.env.YUEXUE_WINDOWED;
  let kioskWindow: BrowserWindowLike | null = null;
  if (!claimSingleInstance(app, () => kioskWindow, log)) return false;

  const lifecycle = kioskLifecycle(app, kioskMode, log);
  if (kioskMode) setup.onUncaughtException((error) => lifecycle.restart(`main process error: ${error.stack ?? error.message}`));
  const shell: ElectronShellApi = {
    createWindow: (options) => new electron.BrowserWindow(options),
    setTimeout: setup.setTimeout,
    now: setup.now,
    log,
  };

  const ready = app.whenReady().then(async () => {
    // No menu: its accelerators (reload, DevTools, quit, zoom) would be a way out of the kiosk.
    electron.Menu.setApplicationMenu(null);
    keepDisplayOn(electron.powerSaveBlocker);
    if (startOnLogin(app, setup.platform, kioskMode)) log('registered to start at login');
    try {
      const url = await setup.kioskUrl();
      const session = electron.session.defaultSession;
      applyPermissionPolicy(session, url, log);
      enforceContentSecurityPolicy(session, url);
      const { window, recovery } = createKioskBrowserWindow(
        shell,
        { url, preloadPath: setup.preloadPath, kioskMode, devTools: devToolsAllowed(setup.env) },
        { maxFailuresInARow: MAX_RELOADS_IN_A_ROW, onKeepsFailing: (why) => lifecycle.restart(`the renderer keeps failing: ${why}`) },
      );
      kioskWindow = window;
      lifecycle.watch(window);
      recoverFromChildProcessCrashes(app, recovery);
    } catch (error) {
      // Nothing to heal: a kiosk host that cannot start (bad kiosk.json, port taken) needs a person.
      electron.dialog.showErrorBox('Yuexue Kiosk', error instanceof Error ? error.message : String(error));
      app.quit();
    }
  });
  return { ready };
}
