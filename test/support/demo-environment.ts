import type { Browser } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { seedDemo } from '../../sync/platform/demo-seed';
import { launchChromium } from './browser';
import { startTestKioskHost } from './kiosk';
import { demoSessionsOpenNow, startTestPlatform } from './platform';

export interface DemoEnvironment {
  platform: Awaited<ReturnType<typeof startTestPlatform>>;
  kiosk: RunningKioskHost;
  browser: Browser;
  kioskCredential: string;
  close(): Promise<void>;
}

/** What most end-to-end tests start from: the demo platform, its kiosk host, and Chromium. */
export async function startDemoEnvironment(): Promise<DemoEnvironment> {
  const platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  await demoSessionsOpenNow(platform.database.pool);
  if (!kioskCredential) throw new Error('The demo seed did not create the kiosk.');
  const kiosk = await startTestKioskHost(platform.url, kioskCredential);
  const browser = await launchChromium();
  return {
    platform,
    kiosk,
    browser,
    kioskCredential,
    async close() {
      await browser.close();
      await kiosk.close();
      await platform.close();
    },
  };
}
