import { join } from 'node:path';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { DEFAULT_TIME_ZONE, ENROLMENT_FILE, type KioskSettings } from '../../electron/host/kiosk-config';
import { hashStaffPin } from '../../electron/host/staff-pin';
import type { CourseCache } from '../../electron/host/course-cache/course-cache';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';

export const TEST_STAFF_PIN = '2468';

/**
 * Settings for a test kiosk, syncing every second so tests need not wait. Tests of the idle reset
 * pass a short idleSeconds; the settings are given directly, so the file schema's minimum (meant
 * for operators) does not apply.
 */
export async function testSettings(platformUrl: string, idleSeconds = 60): Promise<KioskSettings> {
  return {
    platformUrl,
    kioskName: '测试终端',
    staffPinHash: await hashStaffPin(TEST_STAFF_PIN),
    syncIntervalMs: 1000,
    idleSeconds,
    timeZone: DEFAULT_TIME_ZONE,
  };
}

/** A kiosk host for the demo kiosk, enrolled with the credential the demo seed made. */
export async function startTestKioskHost(
  platformUrl: string,
  credential: string,
  options: { idleSeconds?: number; courseCache?: CourseCache } = {},
): Promise<RunningKioskHost> {
  return startKioskHost({
    ...(options.courseCache ? { courseCache: options.courseCache } : {}),
    settings: await testSettings(platformUrl, options.idleSeconds),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
  });
}

/** A kiosk host that is not enrolled yet, keeping its enrolment in `folder` and polling twice a second. */
export async function startUnenrolledTestKioskHost(platformUrl: string, folder: string, rendererDir?: string): Promise<RunningKioskHost> {
  return startKioskHost({
    ...(rendererDir ? { rendererDir } : {}),
    settings: await testSettings(platformUrl),
    enrolment: null,
    enrolmentFile: join(folder, ENROLMENT_FILE),
    enrolmentPollMs: 500,
  });
}
