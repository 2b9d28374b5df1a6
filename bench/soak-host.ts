/**
 * The kiosk host of `npm run bench -- soak`, in a process of its own so its memory is measured
 * apart from the bench's (which also runs the platform and drives the browser). Started by
 * soak.bench.ts with `fork` and `--expose-gc`; told its settings in SOAK_HOST (JSON); answers
 * `sample` messages with its memory after a forced collection, and `close` by stopping.
 */
import { CourseCache } from '../electron/host/course-cache/course-cache';
import { startKioskHost } from '../electron/host/kiosk-host';
import type { KioskSettings } from '../electron/host/kiosk-config';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../sync/platform/demo-seed';

export interface SoakHostOptions {
  settings: KioskSettings;
  credential: string;
  journalFile: string;
  cacheDir: string;
}

export type SoakHostMessage = { type: 'ready'; url: string } | { type: 'sample'; rss: number; heapUsed: number; external: number; arrayBuffers: number };

const send = (message: SoakHostMessage) => process.send!(message);

async function main() {
  const options = JSON.parse(process.env.SOAK_HOST ?? '') as SoakHostOptions;
  const courseCache = await CourseCache.open({ dir: options.cacheDir, budgetBytes: 50_000_000 });
  const host = await startKioskHost({
    courseCache,
    settings: options.settings,
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: options.credential },
    journalFile: options.journalFile,
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'sample') {
      // Twice: the first collection can leave finalised objects for the second.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const usage = process.memoryUsage();
      send({ type: 'sample', rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers });
    } else if (message.type === 'close') {
      void host.close().finally(() => process.exit(0));
    }
  });
  // The bench gone (killed, crashed) means nobody will ever close this host.
  process.on('disconnect', () => void host.close().finally(() => process.exit(0)));
  send({ type: 'ready', url: host.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
