import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_MAIN = join(APP_DIR, 'dist-electron', 'main.mjs');

export type LaunchedKiosk = { kind: 'electron' | 'chromium'; process: ChildProcess } | { kind: 'none'; reason: string };

function electronBinary(): string | null {
  try {
    // The electron package exports the path of its binary, and throws when it was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) && existsSync(ELECTRON_MAIN) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Starts a separate browser process showing the kiosk on the host's URL: the Electron app where
 * its binary (and the built main process) is there, otherwise Chromium in app/kiosk mode where
 * Chromium and a display are there. (The Electron app's own window is createKioskBrowserWindow.)
 */
export function launchKioskBrowser(url: string, profileDir: string): LaunchedKiosk {
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform === 'win32');
  if (!hasDisplay) return { kind: 'none', reason: 'no display' };
  const electron = electronBinary();
  if (electron) {
    const child = spawn(electron, [APP_DIR], { stdio: 'inherit', env: { ...process.env, YUEXUE_KIOSK_URL: url } });
    return { kind: 'electron', process: child };
  }
  const chromium = process.env.CHROMIUM_PATH ?? CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!chromium) return { kind: 'none', reason: 'neither Electron nor Chromium is installed' };
  const kioskFlag = process.env.YUEXUE_WINDOWED ? [] : ['--kiosk'];
  const child = spawn(
    chromium,
    [`--app=${url}`, ...kioskFlag, `--user-data-dir=${profileDir}`, '--no-first-run', '--disable-background-networking', '--disable-sync'],
    { stdio: 'ignore' },
  );
  return { kind: 'chromium', process: child };
}
