import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { launchChromium } from '../support/browser';
import { leaveIdle } from '../support/idle';
import { TEST_IDLE_SECONDS } from '../support/kiosk';
import { openKiosk, openLesson, startLearnWorld, type LearnWorld } from '../support/learn-kiosk';

let world: LearnWorld;
let kiosk: RunningKioskHost;
let browser: Browser;

beforeAll(async () => {
  world = await startLearnWorld();
  kiosk = await world.kiosk();
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** After a jump of the page's clock, long enough for a countdown it started to be drawn. */
async function expectNoCountdown(page: Page): Promise<void> {
  await page.waitForTimeout(500);
  expect(await page.getByTestId('idle-overlay').count()).toBe(0);
}

// Each page's clock is installed before it loads and jumped past the idle time (test/support/idle.ts):
// the lessons themselves play and scroll in real time.
describe('the idle reset respects learning', () => {
  it('waits while a lesson plays past the idle time, and counts the whole wait again once it ends', async () => {
    const page = await openKiosk(browser, kiosk.url, { clock: true });
    await page.getByRole('button', { name: '学习课程' }).click();
    await openLesson(page, 'smartphone-basics', 'video-call');
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.getByTestId('play-pause').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 0);
    // Watched until the video (8 s) ends, while the idle time passes over it.
    const sawCountdown = page.evaluate(
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
    await page.clock.fastForward((TEST_IDLE_SECONDS + 1) * 1000);
    expect(await sawCountdown).toBe(false);
    // The normal wait, counted from the end of the lesson: nothing 5 s before it is up, the
    // countdown just after.
    await page.clock.fastForward((TEST_IDLE_SECONDS - 5) * 1000);
    await expectNoCountdown(page);
    await leaveIdle(page, 5);
    await page.context().close();
  });

  it('waits while a reading is being scrolled', async () => {
    const page = await openKiosk(browser, kiosk.url, { clock: true });
    await page.getByRole('button', { name: '学习课程' }).click();
    await openLesson(page, 'cantonese-cuisine', 'steamed-fish');
    const reading = page.frameLocator('[data-testid="lesson-page"]');
    await reading.locator('p').first().waitFor();
    // A slow reader: a little scroll every twenty seconds for twice the idle time. The scroll
    // event comes a frame after the scroll: let it land before the clock jumps.
    for (let i = 0; i < (TEST_IDLE_SECONDS * 2) / 20; i++) {
      await page.getByTestId('lesson-page').evaluate((frame: HTMLIFrameElement, step) => frame.contentWindow!.scrollTo(0, step * 40), i + 1);
      await page.waitForTimeout(300);
      await page.clock.fastForward(20_000);
      await expectNoCountdown(page);
    }
    await leaveIdle(page);
    await page.context().close();
  });
});
