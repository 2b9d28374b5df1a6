import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeDemoCourses } from '../../assets/demo-courses';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { seedDemo } from '../../sync/platform/demo-seed';
import { startTestPlatform } from '../support/platform';
import { launchChromium, expectAccessible } from '../support/browser';
import { staffHeaders, startTestKioskHost, TEST_STAFF_PIN } from '../support/kiosk';

let work: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: RunningKioskHost;
let browser: Browser;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-staff-courses-'));
  await writeDemoCourses(join(work, 'content'));
  platform = await startTestPlatform(join(work, 'content'));
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  const cache = await CourseCache.open({ dir: join(work, 'cache'), budgetBytes: 50_000_000 });
  kiosk = await startTestKioskHost(platform.url, kioskCredential!, { courseCache: cache });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
});

describe('staff manage the course cache', () => {
  it('downloads, pins and removes courses, showing storage used', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const coursesPulled = page.waitForResponse((r) => r.url().includes('/sync/courses/pull') && r.ok());
    await page.goto(kiosk.url);
    await coursesPulled;
    await page.getByRole('button', { name: '工作人员' }).click();
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    await page.getByRole('button', { name: '本机课程' }).click();

    const course = (id: string) => page.locator(`[data-testid=cache-course][data-course="${id}"]`);
    await course('smartphone-basics').waitFor();
    await expect.poll(() => page.getByTestId('cache-storage').textContent()).toBe('已用空间：0 MB，共 50 MB');
    expect(await course('smartphone-basics').getAttribute('data-state')).toBe('absent');
    await expectAccessible(page);

    for (const id of ['smartphone-basics', 'cantonese-cuisine']) {
      await course(id).getByRole('button', { name: '下载' }).click();
      await expect.poll(() => course(id).getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    }
    await expect(course('smartphone-basics').textContent()).resolves.toMatch(/已存在本机/);
    await expect.poll(async () => Number(await page.getByTestId('cache-storage').getAttribute('data-used'))).toBeGreaterThan(0);
    await expect(page.getByTestId('cache-storage').textContent()).resolves.toMatch(/^已用空间：[\d.]+ MB，共 50 MB$/);
    await expectAccessible(page);

    await course('smartphone-basics').getByRole('button', { name: '固定（一直保留）' }).click();
    await expect.poll(() => course('smartphone-basics').getAttribute('data-pinned')).toBe('yes');
    await course('smartphone-basics').getByRole('button', { name: '取消固定' }).waitFor();

    await course('cantonese-cuisine').getByRole('button', { name: '删除' }).click();
    await expect.poll(() => course('cantonese-cuisine').getAttribute('data-state')).toBe('absent');
    expect(await course('smartphone-basics').getAttribute('data-state')).toBe('ready');
    await expectAccessible(page);

    // The screen's staff token stops working (here: another unlock replaced it): the kiosk goes
    // back to the PIN pad and says why, and the PIN lets staff back in.
    await staffHeaders(kiosk.url);
    const message = page.getByTestId('pin-message');
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toBe('工作人员模式因一段时间未使用已退出，请重新输入工作人员密码。');
    await expectAccessible(page);
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    await page.getByRole('button', { name: '本机课程' }).click();
    await expect.poll(() => course('smartphone-basics').getAttribute('data-pinned')).toBe('yes');
    await context.close();
  });
});
