import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createOperator } from '../../sync/platform/admin/operators';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { launchChromium } from '../support/browser';
import { InMemoryReviewQueue, signInToConsole, startConsolePlatform, walkConsolePages, type ConsolePlatform } from '../support/console-platform';

let platform: ConsolePlatform;
let browser: Browser;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  const queue = new InMemoryReviewQueue([
    { type: 'attendance', id: '0190a000-0000-7000-8000-000000000001', siteId: DEMO_SITE_ID, learnerId: 'GD2026000101', subject: '粤剧欣赏', deviceTime: new Date('2026-11-20T06:05:00Z'), reasons: ['off-roster'] },
  ]);
  platform = await startConsolePlatform(queue);
  await seedDemo(platform.database.pool, null);
  await createOperator(platform.database.pool, { login: 'admin', displayName: '省管理员', role: 'province-admin', password: PASSWORD, siteIds: [] });
  await createOperator(platform.database.pool, { login: 'dongshan', displayName: '东山站长', role: 'site-manager', password: PASSWORD, siteIds: [DEMO_SITE_ID] });
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
