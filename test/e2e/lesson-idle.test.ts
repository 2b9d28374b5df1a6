import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { launchChromium } from '../support/browser';
import { openKiosk, openLesson, startLearnWorld, type LearnWorld } from '../support/learn-kiosk';

/**
 * Shorter than the demo video (8 s), so a lesson that plays on would be cut without the fix, yet
 * long enough that a loaded machine reaches the lesson before the kiosk goes idle on the way.
 */
const SHORT_IDLE_SECONDS = 5;

let world: LearnWorld;
let idleKiosk: RunningKioskHost;
let browser: Browser;

beforeAll(async () => {
  world = await startLearnWorld();
  idleKiosk = await world.kiosk({ idleSeconds: SHORT_IDLE_SECONDS });
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('the idle reset respects learning', () => {
  it('waits while a lesson plays longer than the idle time, and counts again once it ends', async () => {
    const page = await openKiosk(browser, idleKiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await openLesson(page, 'smartphone-basics', 'video-call');
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.getByTestId('play-pause').click();
    // All 8 seconds of the video, more than the idle time, with no countdown over it.
    const sawCountdown = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const video = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
          let seen = false;
          const watch = setInterval(() => {
            if (document.querySelector('[data-testid="idle-overlay"]')) seen = true;
          }, 100);
          video.addEventListener('ended', () => {
            clearInterval(watch);
            resolve(seen);
          });
        }),
    );
    expect(sawCountdown).toBe(false);
    const endedAt = Date.now();
    await page.getByTestId('idle-overlay').waitFor({ timeout: 15_000 });
    // The normal wait, counted from the end of the lesson.
    expect(Date.now() - endedAt).toBeGreaterThan((SHORT_IDLE_SECONDS - 1) * 1000);
    await page.context().close();
  });

  it('waits while a reading is being scrolled', async () => {
    const page = await openKiosk(browser, idleKiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await openLesson(page, 'cantonese-cuisine', 'steamed-fish');
    const reading = page.frameLocator('[data-testid="lesson-page"]');
    await reading.locator('p').first().waitFor();
    // A slow reader: a little scroll every second for twice the idle time.
    for (let i = 0; i < SHORT_IDLE_SECONDS * 2; i++) {
      await page.getByTestId('lesson-page').evaluate((frame: HTMLIFrameElement, step) => frame.contentWindow!.scrollTo(0, step * 40), i + 1);
      await page.waitForTimeout(1000);
      expect(await page.getByTestId('idle-overlay').count()).toBe(0);
    }
    await page.getByTestId('idle-overlay').waitFor({ timeout: 15_000 });
    await page.context().close();
  });
});
