/**
 * `npm start`: the whole demo on one machine. The central platform on embedded PGlite (or
 * DATABASE_URL) with demo data, the kiosk host enrolled as the demo kiosk, and the kiosk window.
 * Without an enrolment in its data folder (delete kiosk/enrolment.json to try it) the kiosk
 * starts unenrolled and shows its enrolment QR instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startPlatform } from '../sync/platform/start-platform';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, ensureDemoClassNow, seedDemo } from '../sync/platform/demo-seed';
import { KIOSK_SETTINGS_FILE, loadKioskConfig, saveEnrolment, saveKioskSettings } from '../electron/host/kiosk-config';
import { startKioskFromFolder } from '../electron/host/kiosk-folder';
import { hashStaffPin } from '../electron/host/staff-pin';
import { dataFolder } from '../sync/platform/data-folder';
import { launchKioskBrowser } from '../electron/host/kiosk-window-launcher';
import { writeDemoCourses } from '../assets/demo-courses';

const DEMO_STAFF_PIN = '2468';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name}=${value} is not a port number.`);
  return parsed;
}

/** The demo kiosk's settings, as an operator would write them with `npm run kiosk -- setup`. */
async function demoSettings() {
  return {
    platformUrl: `http://127.0.0.1:${port('PLATFORM_PORT', 4310)}`,
    kioskName: '东山学习点 大堂终端',
    staffPinHash: await hashStaffPin(DEMO_STAFF_PIN),
    syncIntervalMs: 15_000,
    idleSeconds: 60,
  };
}

async function main() {
  const data = dataFolder();
  const kioskDir = join(data, 'kiosk');
  await mkdir(kioskDir, { recursive: true });
  if (!existsSync(join(kioskDir, KIOSK_SETTINGS_FILE))) await saveKioskSettings(kioskDir, await demoSettings());
  const existing = await loadKioskConfig(kioskDir);

  // An unenrolled kiosk is approved on the platform's /enrol/approve page, which needs an admin token.
  const adminToken = process.env.PLATFORM_ADMIN_TOKEN ?? (existing.enrolment ? undefined : randomBytes(12).toString('base64url'));
  // The demo courses' files are generated, not stored: write them where the platform serves them.
  const contentDir = join(data, 'course-content');
  await writeDemoCourses(contentDir);
  const platform = await startPlatform({
    contentDir,
    databaseUrl: process.env.DATABASE_URL,
    dataDir: join(data, 'platform-db'),
    port: port('PLATFORM_PORT', 4310),
    adminToken,
  });
  const seeded = await seedDemo(platform.database.pool, existing.enrolment?.credential ?? null);
  await ensureDemoClassNow(platform.database.pool);
  let enrolled = existing.enrolment !== null;
  if (seeded.kioskCredential) {
    // A new platform database made the demo kiosk: this folder's kiosk becomes it.
    if (existing.enrolment) await saveKioskSettings(kioskDir, await demoSettings());
    await saveEnrolment(existing.enrolmentFile, { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: seeded.kioskCredential });
    enrolled = true;
  }
  const kiosk = await startKioskFromFolder(kioskDir, { platformUrl: platform.url, port: port('KIOSK_PORT', 4320) });
  const window = launchKioskBrowser(kiosk.url, join(data, 'chromium-profile'));

  console.log(`Yuexue platform  ${platform.url}  (${platform.database.kind}${platform.database.kind === 'pglite' ? `, ${join(data, 'platform-db')}` : ''})`);
  console.log(`Yuexue kiosk     ${kiosk.url}${enrolled ? '' : '  (not enrolled: it shows its enrolment QR)'}`);
  console.log(`Data folder      ${data}`);
  console.log(`Staff PIN        ${DEMO_STAFF_PIN} (demo)`);
  if (!enrolled && adminToken && !process.env.PLATFORM_ADMIN_TOKEN) {
    console.log(`Admin token      ${adminToken} (this run only; approve the kiosk at ${platform.url}/enrol/approve)`);
  }
  console.log(`Learner cards    npm run platform:admin -- cards --site ${DEMO_SITE_ID}`);
  console.log(window.kind === 'none' ? `Kiosk window     not opened (${window.reason}): open ${kiosk.url} in a browser` : `Kiosk window     ${window.kind}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (window.kind !== 'none') window.process.kill();
    await kiosk.close();
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
