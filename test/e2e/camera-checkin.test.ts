import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedDemo } from '../../sync/platform/demo-seed';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { startTestPlatform, demoCard, demoSessionsOpenNow } from '../support/platform';
import { launchChromium, expectAccessible } from '../support/browser';
import { startTestKioskHost } from '../support/kiosk';
import { openSessionAsStaff } from '../support/staff';
import { writeCameraVideo } from '../support/fake-camera';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: RunningKioskHost;
let browser: Browser;
let folder: string;
let card: { learnerId: string; name: string; text: string };


beforeAll(async () => {
  platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  await demoSessionsOpenNow(platform.database.pool);
  card = await demoCard(platform.database.pool);
  kiosk = await startTestKioskHost(platform.url, kioskCredential!);
  folder = await mkdtemp(join(tmpdir(), 'yx-camera-'));
  const video = join(folder, 'card.y4m');
  // A card held a little crooked in front of a slightly soft camera.
  const scenes = [
    { cardText: null, frames: 5 },
    { cardText: card.text, frames: 20 },
  ];
  await writeCameraVideo(video, scenes, { tiltDegrees: 8, blurRadius: 1, sizePixels: 400 });
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('camera check-in', () => {
  it('checks a learner in from the card held up to the camera', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await openSessionAsStaff(page, kiosk.url);
    await expectAccessible(page);
    await page.getByRole('button', { name: '去签到页面' }).click();

    const result = page.getByTestId('checkin-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-result')).toBe('checked-in');
    expect(await result.textContent()).toContain(card.name);
    expect(await page.getByTestId('camera-preview').getAttribute('data-camera')).toBe('running');
    await expectAccessible(page);

    // The record reaches the platform marked as a camera check-in.
    await expect
      .poll(
        async () => {
          const { rows } = await platform.database.pool.query<{ method: string }>('select method from attendance where learner_id = $1', [card.learnerId]);
          return rows.map((r) => r.method);
        },
        { timeout: 30_000 },
      )
      .toEqual(['camera']);
    await context.close();
  });
});
