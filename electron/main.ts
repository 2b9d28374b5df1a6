/**
 * Electron main process: starts the kiosk host on the kiosk's files in its user data folder (or
 * uses YUEXUE_KIOSK_URL when `npm start` or `npm run kiosk` already runs one) and opens the
 * locked-down kiosk window on it. Everything it does is in plain Node modules (electron/host,
 * kiosk-window.ts) that are tested without the Electron binary.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKioskFromFolder } from './host/kiosk-folder';
import { openKioskWindow } from './kiosk-window';
import type { ElectronMainModule, ElectronShellApi } from './electron-api';

// `electron` is an optional dependency (its binary cannot always be installed), so it is loaded
// at run time and typed by the slice of it the shell uses.
const { app, BrowserWindow, dialog } = createRequire(import.meta.url)('electron') as ElectronMainModule;
const here = fileURLToPath(new URL('.', import.meta.url));
const KIOSK_PORT = Number(process.env.KIOSK_PORT ?? 4320);

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
  log: (message) => console.log(`[yuexue] ${message}`),
};

void app.whenReady().then(async () => {
  try {
    const url = await kioskUrl();
    openKioskWindow(shell, { url, preloadPath: join(here, 'preload.cjs'), kioskMode: !process.env.YUEXUE_WINDOWED });
  } catch (error) {
    dialog.showErrorBox('Yuexue Kiosk', error instanceof Error ? error.message : String(error));
    app.quit();
  }
});

app.on('window-all-closed', () => app.quit());
