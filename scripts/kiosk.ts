/**
 * `npm run kiosk`: one site's kiosk on its own, as an operator installs it (the platform runs
 * elsewhere). `setup` writes the site settings; a run starts the kiosk host on them and opens the
 * kiosk window. An unenrolled kiosk shows its enrolment QR until the platform approves it.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { read } from 'read';
import { KIOSK_SETTINGS_FILE, loadKioskConfig, saveEnrolment, saveKioskSettings } from '../electron/host/kiosk-config';
import { startKioskFromFolder } from '../electron/host/kiosk-folder';
import { launchKioskBrowser } from '../electron/host/kiosk-window-launcher';
import { hashStaffPin, isStaffPinShaped } from '../electron/host/staff-pin';
import { checkPlatformUrl } from '../electron/host/platform-tls';

const USAGE = `Usage:
  npm run kiosk -- setup --data DIR --platform URL --name NAME [--sync-interval-ms 15000] [--idle-seconds 60] [--time-zone Asia/Shanghai] [--force]
      writes DIR/kiosk.json; the staff PIN (4 to 8 digits) comes from KIOSK_STAFF_PIN, or stdin
  npm run kiosk -- --data DIR [--port 4320]
      runs the kiosk host on DIR (kiosk.json, enrolment.json once enrolled, courses/) and opens
      the kiosk window; needs the built renderer (npm run build)`;

class UsageError extends Error {}

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    platform: { type: 'string' },
    name: { type: 'string' },
    'sync-interval-ms': { type: 'string' },
    'idle-seconds': { type: 'string' },
    'time-zone': { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function required(name: 'data' | 'platform' | 'name'): string {
  const value = flags[name];
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

function optionalNumber(name: 'sync-interval-ms' | 'idle-seconds' | 'port'): number | undefined {
  const value = flags[name];
  return value === undefined ? undefined : Number(value);
}

/** `--sync-interval-ms`, `--idle-seconds` and `--time-zone`, only when given: kiosk.json leaves the rest to the defaults. */
function timings(): { syncIntervalMs?: number; idleSeconds?: number; timeZone?: string } {
  const syncIntervalMs = optionalNumber('sync-interval-ms');
  const idleSeconds = optionalNumber('idle-seconds');
  const timeZone = flags['time-zone'];
  return {
    ...(syncIntervalMs === undefined ? {} : { syncIntervalMs }),
    ...(idleSeconds === undefined ? {} : { idleSeconds }),
    ...(timeZone === undefined ? {} : { timeZone }),
  };
}

/**
 * The PIN from KIOSK_STAFF_PIN, or the first line on stdin: typed at a terminal it is not shown,
 * so it is not left on the screen of a kiosk being installed in a public room.
 */
async function readStaffPin(): Promise<string> {
  if (process.env.KIOSK_STAFF_PIN) return process.env.KIOSK_STAFF_PIN;
  const prompt = process.stdin.isTTY ? 'Staff PIN (4 to 8 digits): ' : '';
  return (await read({ prompt, silent: true, replace: '*', output: process.stderr })).trim();
}

async function setup(): Promise<void> {
  const folder = resolve(required('data'));
  const settings = { platformUrl: required('platform'), kioskName: required('name'), ...timings() };
  // Before the PIN is asked for: an operator should not type it for a setup that cannot be written.
  checkPlatformUrl(settings.platformUrl, '--platform');
  if (existsSync(join(folder, KIOSK_SETTINGS_FILE))) {
    if (!flags.force) throw new Error(`${join(folder, KIOSK_SETTINGS_FILE)} already exists: add --force to replace its settings.`);
    // An older kiosk.json may hold the enrolment itself: keep it, in the kiosk's own file.
    const existing = await loadKioskConfig(folder).catch(() => null);
    if (existing?.enrolment && !existsSync(existing.enrolmentFile)) await saveEnrolment(existing.enrolmentFile, existing.enrolment);
  }
  const pin = await readStaffPin();
  if (!isStaffPinShaped(pin)) throw new Error('The staff PIN must be 4 to 8 digits.');
  await mkdir(folder, { recursive: true });
  await saveKioskSettings(folder, { ...settings, staffPinHash: await hashStaffPin(pin) });
  console.log(`Wrote ${join(folder, KIOSK_SETTINGS_FILE)}. Start the kiosk with: npm run kiosk -- --data ${folder}`);
}

async function run(): Promise<void> {
  const folder = resolve(required('data'));
  const port = optionalNumber('port') ?? Number(process.env.KIOSK_PORT ?? 4320);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${port} is not a port number.`);
  const kiosk = await startKioskFromFolder(folder, { port });
  const health = (await (await fetch(`${kiosk.url}/health`)).json()) as { kioskId: string | null };
  const window = launchKioskBrowser(kiosk.url, join(folder, 'chromium-profile'));
  console.log(`Yuexue kiosk  ${kiosk.url}  ${health.kioskId ? `(${health.kioskId})` : '(not enrolled: it shows its enrolment QR)'}`);
  console.log(`Data folder   ${folder}`);
  console.log(window.kind === 'none' ? `Kiosk window  not opened (${window.reason}): open ${kiosk.url} in a browser` : `Kiosk window  ${window.kind}`);
  const stop = () => {
    if (window.kind !== 'none') window.process.kill();
    void kiosk.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  if (flags.help) return console.log(USAGE);
  const [command] = positionals;
  if (command === 'setup') return setup();
  if (command !== undefined) throw new UsageError(`Unknown command "${command}".`);
  return run();
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : (error as Error).message);
  process.exit(error instanceof UsageError ? 2 : 1);
});
