import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import type { DemoCard } from '../support/platform';
import { onScreen, openKiosk, openLesson, scanIntoLearn, startLearnKiosk, type LearnKiosk } from '../support/learn-kiosk';

let setup: LearnKiosk;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: DemoCard;

beforeAll(async () => {
  ({ kiosk, browser, card } = setup = await startLearnKiosk({ card: 'last', browserArgs: ['--autoplay-policy=no-user-gesture-required'] }));
});

afterAll(async () => {
  await setup?.close();
});

const media = (page: Page) => page.getByTestId('lesson-media');

describe('resume exactly', () => {
  it('brings a video back within 1 s of where the learner left it while playing', async () => {
    const page = await openKiosk(browser, kiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await scanIntoLearn(page, card);
    await openLesson(page, 'smartphone-basics', 'video-call');
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).readyState >= 1);
    await page.getByTestId('play-pause').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 3.2);
    // The lesson's own Back and Home stay on the 1080p screen.
    expect(await onScreen(page, '.screen-nav')).toBe(true);
    // Left while it plays, between two of the 5-second saves.
    const leftAt = await page.evaluate(() => {
      const video = document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement;
      const at = video.currentTime;
      [...document.querySelectorAll<HTMLButtonElement>('.screen-nav button')][0]!.click();
      return at;
    });
    await page.locator('[data-lesson="video-call"]').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-media"]') as HTMLMediaElement).currentTime > 0);
    const resumedAt = await media(page).evaluate((video: HTMLMediaElement) => video.currentTime);
    expect(Math.abs(resumedAt - leftAt)).toBeLessThan(1);
    await page.context().close();
  });

  it('brings a reading back at the paragraph the learner was on, with the time already spent', async () => {
    const page = await openKiosk(browser, kiosk.url);
    await page.getByRole('button', { name: '学习课程' }).click();
    await scanIntoLearn(page, card);
    await openLesson(page, 'cantonese-cuisine', 'steamed-fish');
    const frame = page.getByTestId('lesson-page');
    await page.frameLocator('[data-testid="lesson-page"]').locator('p').nth(5).waitFor();
    // Scrolled down the recipe, as far as it goes.
    await frame.evaluate((iframe: HTMLIFrameElement) => iframe.contentDocument!.querySelectorAll('p')[5]!.scrollIntoView({ block: 'start' }));
    const firstVisibleParagraph = () =>
      frame.evaluate((iframe: HTMLIFrameElement) => [...iframe.contentDocument!.querySelectorAll('p')].findIndex((p) => p.getBoundingClientRect().bottom > 1));
    const readingAt = await firstVisibleParagraph();
    expect(readingAt).toBeGreaterThan(0);
    await page.waitForTimeout(2500);
    const percentBefore = Number(await page.getByTestId('lesson-position').getAttribute('data-percent'));
    expect(percentBefore).toBeGreaterThan(0);
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('[data-lesson="steamed-fish"]').click();
    await page.frameLocator('[data-testid="lesson-page"]').locator('p').nth(5).waitFor();
    await expect.poll(firstVisibleParagraph).toBe(readingAt);
    expect(Number(await page.getByTestId('lesson-position').getAttribute('data-percent'))).toBeGreaterThanOrEqual(percentBefore);
    await page.context().close();
  });
});
