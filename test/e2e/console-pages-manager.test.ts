import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, launchChromium } from '../support/browser';
import { CONSOLE_TEST_PASSWORD as PASSWORD, signInToConsole, startConsoleWalk, walkConsolePages, type ConsolePlatform } from '../support/console-platform';

let platform: ConsolePlatform;
let browser: Browser;

beforeAll(async () => {
  platform = await startConsoleWalk();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

describe('every console page for a site manager, and the sign-in page', () => {
  it('the site manager, on a phone in zh-HK and at a desk in English', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, locale: 'zh-HK', isMobile: true, hasTouch: true })).newPage();
    await signInToConsole(page, platform.url, 'dongshan', PASSWORD);
    expect(await walkConsolePages(page, platform.url, 'zh-HK')).toEqual([]);
    await page.getByLabel('語言').selectOption('en');
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await walkConsolePages(page, platform.url, 'en')).toEqual([]);
    // Nothing on the phone needs sideways scrolling of the whole page.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.context().close();
  });

  it('the sign-in page, in both sizes', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${platform.url}/console/`);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
