import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { DEFAULT_TIME_ZONE, ENROLMENT_FILE, type KioskSettings } from '../../electron/host/kiosk-config';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { hashStaffPin } from '../../electron/host/staff-pin';
import type { CourseCache } from '../../electron/host/course-cache/course-cache';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { KioskHostRoutes, STAFF_TOKEN_HEADER, type StaffUnlocked } from '../../sync/protocol/kiosk-host-api';

export const TEST_STAFF_PIN = '2468';

/** A test kiosk's idle time, as a site's would be: tests of the idle reset reach it with a page clock (test/support/idle.ts). */
export const TEST_IDLE_SECONDS = 60;

/**
 * Settings for a test kiosk, syncing every second so tests need not wait. A test may pass a short
 * idleSeconds; the settings are given directly, so the file schema's minimum (meant for
 * operators) does not apply.
 */
export async function testSettings(platformUrl: string, idleSeconds = TEST_IDLE_SECONDS): Promise<KioskSettings> {
  return {
    platformUrl,
    kioskName: '测试终端',
    staffPinHash: await hashStaffPin(TEST_STAFF_PIN),
    syncIntervalMs: 1000,
    idleSeconds,
    timeZone: DEFAULT_TIME_ZONE,
  };
}

/** A kiosk host for the demo kiosk, enrolled with the credential the demo seed made; its journal lives in a temporary folder. */
export async function startTestKioskHost(
  platformUrl: string,
  credential: string,
  options: { idleSeconds?: number; courseCache?: CourseCache; journalFile?: string; rendererDir?: string } = {},
): Promise<RunningKioskHost> {
  const folder = await mkdtemp(join(tmpdir(), 'yx-kiosk-'));
  const host = await startKioskHost({
    ...(options.courseCache ? { courseCache: options.courseCache } : {}),
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
    settings: await testSettings(platformUrl, options.idleSeconds),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
    journalFile: options.journalFile ?? join(folder, JOURNAL_FILE),
  });
  return {
    ...host,
    async close() {
      await host.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A kiosk host that is not enrolled yet, keeping its enrolment and journal in `folder` and polling twice a second. */
export async function startUnenrolledTestKioskHost(platformUrl: string, folder: string, rendererDir?: string): Promise<RunningKioskHost> {
  return startKioskHost({
    ...(rendererDir ? { rendererDir } : {}),
    settings: await testSettings(platformUrl),
    enrolment: null,
    enrolmentFile: join(folder, ENROLMENT_FILE),
    journalFile: join(folder, JOURNAL_FILE),
    enrolmentPollMs: 500,
  });
}

/** Unlocks staff mode on the host with the test PIN; the headers staff routes then want. */
export async function staffHeaders(hostUrl: string): Promise<Record<string, string>> {
  const response = await fetch(`${hostUrl}${KioskHostRoutes.staffUnlock}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin: TEST_STAFF_PIN }),
  });
  if (!response.ok) throw new Error(`Staff unlock answered ${response.status}`);
  return { [STAFF_TOKEN_HEADER]: ((await response.json()) as StaffUnlocked).token };
}
