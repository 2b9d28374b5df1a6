import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { hashStaffPin } from '../../electron/host/staff-pin';
import type { CourseCache } from '../../electron/host/course-cache/course-cache';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';

export const TEST_STAFF_PIN = '2468';

/**
 * A kiosk host for the demo kiosk, syncing every second so tests need not wait. Tests of the idle
 * reset pass a short idleSeconds; the config is given directly, so the file schema's minimum
 * (meant for operators) does not apply.
 */
export async function startTestKioskHost(
  platformUrl: string,
  credential: string,
  options: { idleSeconds?: number; courseCache?: CourseCache } = {},
): Promise<RunningKioskHost> {
  return startKioskHost({
    ...(options.courseCache ? { courseCache: options.courseCache } : {}),
    config: {
      platformUrl,
      kioskId: DEMO_KIOSK_ID,
      siteId: DEMO_SITE_ID,
      credential,
      staffPinHash: await hashStaffPin(TEST_STAFF_PIN),
      syncIntervalMs: 1000,
      idleSeconds: options.idleSeconds ?? 60,
    },
  });
}
