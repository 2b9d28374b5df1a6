/**
 * Electron main process: starts the kiosk host on the kiosk's files in its user data folder (or
 * uses YUEXUE_KIOSK_URL when `npm start` or `npm run kiosk` already runs one) and opens the
 * locked-down kiosk window on it. What the shell does is in kiosk-shell.ts and the modules it
 * wires, tested against a fake Electron; this file hands it the real one.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKioskFromFolder } from './host/kiosk-folder';
import { startKioskShell } from './kiosk-shell';
import type { ElectronMainModule } from './electron-api';

// `electron` is an optional dependency (its binary cannot always be installed), so it is loaded
// at run time and typed by the slice of it the shell uses.
const electron = createRequire(import.meta.url)('electron') as ElectronMainModule;
const { app } = electron;
const here = fileURLToPath(new URL('.', import.meta.url));
const KIOSK_PORT = Number(process.env.KIOSK_PORT ?? 4320);

async function kioskUrl(): Promise<string> {
  if (process.env.YUEXUE_KIOSK_URL) return process.env.YUEXUE_KIOSK_URL;
  // Enrolled or not: a kiosk without an enrolment shows its enrolment screen and enrols itself.
  const host = await startKioskFromFolder(app.getPath('userData'), { rendererDir: join(app.getAppPath(), 'dist', 'renderer'), port: KIOSK_PORT });
  app.on('will-quit', () => void host.close());
  return host.url;
}

startKioskShell(electron, {
  env: process.env,
  platform: process.platform,
  preloadPath: join(here, 'preload.cjs'),
  kioskUrl,
  onUncaughtException: (listener) => process.on('uncaughtException', listener),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  now: () => Date.now(),
  log: (message) => console.log(`[yuexue] ${message}`),
});
