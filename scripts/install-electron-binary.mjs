// Electron ≥ 43 no longer downloads its binary at install time; its `install-electron` does.
// Run it where Electron is installed (Node ≥ 22.12) and the download is wanted, and never fail
// `npm install` over it: without the binary the kiosk runs as a browser kiosk (README).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
let installer;
try {
  installer = createRequire(import.meta.url).resolve('electron/install.js');
} catch {
  console.log('yuexue: Electron is not installed (it needs Node >= 22.12); the kiosk will run in Chromium.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (result.status !== 0) {
  console.log('yuexue: the Electron binary could not be downloaded; the kiosk will run in Chromium.');
}
