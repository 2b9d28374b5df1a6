import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
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

describe('every console page for the province admin', () => {
  it('the province admin, at 1366×768 and 390×844, in zh-CN', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
    await signInToConsole(page, platform.url, 'admin', PASSWORD);
    expect(await walkConsolePages(page, platform.url, 'zh-CN')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await walkConsolePages(page, platform.url, 'zh-CN')).toEqual([]);
    await page.context().close();
  });

});
