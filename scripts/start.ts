/**
 * `npm start`: the whole demo on one machine. The central platform on embedded PGlite (or
 * DATABASE_URL) with demo data, the kiosk host enrolled as the demo kiosk, and the kiosk window.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPlatform } from '../sync/platform/start-platform';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../sync/platform/demo-seed';
import { startKioskHost } from '../electron/host/kiosk-host';
import { loadKioskConfig, type KioskConfig } from '../electron/host/kiosk-config';
import { hashStaffPin } from '../electron/host/staff-pin';
import { dataFolder } from '../electron/host/data-folder';
import { openKioskWindow } from '../electron/host/kiosk-window-launcher';
import { CourseCache } from '../electron/host/course-cache/course-cache';
import { writeDemoCourses } from '../assets/demo-courses';

const DEMO_STAFF_PIN = '2468';
/** Course storage the demo kiosk may use; YUEXUE_COURSE_BUDGET_MB overrides it. */
const COURSE_BUDGET_MB = Number(process.env.YUEXUE_COURSE_BUDGET_MB ?? 2048);

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name}=${value} is not a port number.`);
  return parsed;
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function main() {
  const data = dataFolder();
  const kioskDir = join(data, 'kiosk');
  await mkdir(kioskDir, { recursive: true });
  const kioskConfigPath = join(kioskDir, 'kiosk.json');
  const existing = await readJson<KioskConfig>(kioskConfigPath);

  // The demo courses' files are generated, not stored: write them where the platform serves them.
  const contentDir = join(data, 'course-content');
  await writeDemoCourses(contentDir);
  const platform = await startPlatform({
    contentDir,
    databaseUrl: process.env.DATABASE_URL,
    dataDir: join(data, 'platform-db'),
    port: port('PLATFORM_PORT', 4310),
  });
  const seeded = await seedDemo(platform.database.pool, existing?.credential ?? null);
  const credential = seeded.kioskCredential ?? existing?.credential;
  if (!credential) {
    throw new Error(`The platform database was seeded by another data folder: delete ${data} (or set YUEXUE_DATA_DIR) and start again.`);
  }
  if (!existing || seeded.kioskCredential) {
    const config: KioskConfig = {
      platformUrl: platform.url,
      kioskId: DEMO_KIOSK_ID,
      siteId: DEMO_SITE_ID,
      credential,
      staffPinHash: await hashStaffPin(DEMO_STAFF_PIN),
      syncIntervalMs: 15_000,
      idleSeconds: 60,
    };
    await writeFile(kioskConfigPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  }
  const config = { ...(await loadKioskConfig(kioskConfigPath)), platformUrl: platform.url };
  const courseCache = await CourseCache.open({ dir: join(kioskDir, 'courses'), budgetBytes: COURSE_BUDGET_MB * 1024 * 1024 });
  const kiosk = await startKioskHost({ config, courseCache, port: port('KIOSK_PORT', 4320) });
  const window = openKioskWindow(kiosk.url, join(data, 'chromium-profile'));

  console.log(`Yuexue platform  ${platform.url}  (${platform.database.kind}${platform.database.kind === 'pglite' ? `, ${join(data, 'platform-db')}` : ''})`);
  console.log(`Yuexue kiosk     ${kiosk.url}`);
  console.log(`Data folder      ${data}`);
  console.log(`Staff PIN        ${DEMO_STAFF_PIN} (demo)`);
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
