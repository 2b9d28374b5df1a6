import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import type { DemoCard } from '../support/platform';
import { expectAccessible, presentCardAsScanner } from '../support/browser';
import { openSessionAsStaff } from '../support/staff';
import { onScreen, openKiosk, openLesson, startLearnKiosk, type LearnKiosk } from '../support/learn-kiosk';

const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
];
const TEXT_SIZES = [24, 32, 40] as const;

let setup: LearnKiosk;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: DemoCard;

beforeAll(async () => {
  ({ kiosk, browser, card } = setup = await startLearnKiosk());
});

afterAll(async () => {
  await setup?.close();
});

/** Nothing wider than the screen: a senior cannot scroll sideways. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the home screen fills the screen with its three choices', () => {
  it.each(VIEWPORTS)('at $width×$height', async (viewport) => {
    const page = await openKiosk(browser, kiosk.url, { viewport });
    for (const size of TEXT_SIZES) {
      await page.getByTestId(`text-size-${size}`).click();
      const tiles = await page.locator('.button.choice').evaluateAll((buttons) =>
        buttons.map((button) => {
          // Lines the label's words take (the icon aside): their rects' distinct tops.
          const label = [...button.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '').at(-1)!;
          const range = document.createRange();
          range.selectNodeContents(label);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
          return { height: button.getBoundingClientRect().height, lines };
        }),
      );
      expect(tiles).toHaveLength(3);
      for (const tile of tiles) {
        if (viewport.width > viewport.height) expect(tile.height, `${size}px`).toBeGreaterThanOrEqual(viewport.height * 0.25);
        // "上课签到" on two lines at most: never one character a line.
        expect(tile.lines, `${size}px`).toBeLessThanOrEqual(2);
      }
      expect(await fitsWidth(page)).toBe(true);
    }
    await expectAccessible(page);
    await page.context().close();
  });
});

describe('lesson controls stay on screen', () => {
  it.each(VIEWPORTS)('a video lesson at $width×$height, every text size', async (viewport) => {
    const page = await openKiosk(browser, kiosk.url, { viewport });
    await page.getByRole('button', { name: '学习课程' }).click();
    await openLesson(page, 'smartphone-basics', 'video-call');
    await page.getByTestId('lesson-media').waitFor();
    for (const size of TEXT_SIZES) {
      await page.getByTestId(`text-size-${size}`).click();
      expect(await onScreen(page, '.screen-nav'), `${size}px`).toBe(true);
      expect(await fitsWidth(page), `${size}px`).toBe(true);
    }
    await expectAccessible(page);
    await page.context().close();
  });
});

describe('My credits with a learning record', () => {
  beforeAll(async () => {
    // A check-in gives the learner a record to show.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, card.text);
    await page.getByTestId('checkin-result').waitFor();
    await page.close();
  });

  it.each(VIEWPORTS)('at $width×$height, every text size', async (viewport) => {
    const page = await openKiosk(browser, kiosk.url, { viewport });
    await page.getByRole('button', { name: '我的学分' }).click();
    // A card shown before the screen is listening is lost, as at a real kiosk: wait for its prompt.
    await page.getByText('请扫描您的学员卡，查看学时和学分').waitFor();
    // The check-in was on another kiosk profile: its hours arrive through the platform.
    await expect
      .poll(
        async () => {
          if (await page.getByTestId('credits').count()) await page.getByTestId('credits').getByRole('button').click();
          await presentCardAsScanner(page, card.text);
          await page.getByTestId('credits').waitFor();
          return page.locator('.recent li').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    for (const size of TEXT_SIZES) {
      await page.getByTestId(`text-size-${size}`).click();
      expect(await onScreen(page, '.screen-nav'), `${size}px`).toBe(true);
      expect(await fitsWidth(page), `${size}px`).toBe(true);
    }
    await expectAccessible(page);
    await page.context().close();
  });
});
