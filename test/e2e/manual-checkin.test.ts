import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { expectAccessible } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { openSessionAsStaff } from '../support/staff';

let environment: DemoEnvironment;
let platform: DemoEnvironment['platform'];
let kiosk: RunningKioskHost;
let browser: Browser;


async function platformMethods(learnerId: string): Promise<string[]> {
  const { rows } = await platform.database.pool.query<{ method: string }>('select method from attendance where learner_id = $1', [learnerId]);
  return rows.map((r) => r.method);
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  ({ platform, kiosk, browser } = environment);
});

afterAll(async () => {
  await environment?.close();
});

describe('staff manual check-in', () => {
  it('checks in a learner by number on the keypad, one tapped from the roster list and one found by name', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '无卡签到' }).click();
    await page.getByTestId('learner-number').waitFor();
    await expectAccessible(page);

    for (const digit of '2026000103') await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    expect(await page.getByTestId('learner-number').textContent()).toBe('GD2026000103');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    const result = page.getByTestId('manual-result');
    await expect.poll(() => result.getAttribute('data-result')).toBe('checked-in');
    // The name comes from the site's learner directory.
    expect(await result.textContent()).toBe('黄志强（GD2026000103） 已签到。');
    await expectAccessible(page);
    // Checked in learners leave the list of those still expected.
    expect(await page.getByRole('button', { name: '为 黄志强（GD2026000103） 签到' }).count()).toBe(0);

    await page.getByRole('button', { name: '为 何家明（GD2026000105） 签到' }).click();
    await expect.poll(() => page.getByRole('button', { name: /GD2026000105/ }).count()).toBe(0);
    expect(await result.textContent()).toContain('何家明');

    // Keying in the first learner again changes nothing.
    for (const digit of '2026000103') await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expect.poll(() => result.getAttribute('data-result')).toBe('already-checked-in');

    // By name: pinyin initials on the letter keypad find 罗美玲 (GD2026000106).
    await page.getByRole('button', { name: '按姓名查找' }).click();
    for (const letter of 'LML') await page.getByRole('button', { name: letter, exact: true }).click();
    await page.getByRole('button', { name: '罗美玲 GD2026000106' }).click();
    await expect.poll(() => result.textContent()).toBe('罗美玲（GD2026000106） 已签到。');
    await expectAccessible(page);

    await expect.poll(() => platformMethods('GD2026000103'), { timeout: 30_000 }).toEqual(['manual']);
    await expect.poll(() => platformMethods('GD2026000106'), { timeout: 30_000 }).toEqual(['manual']);
    await expect.poll(() => platformMethods('GD2026000105'), { timeout: 30_000 }).toEqual(['manual']);
    await page.getByRole('button', { name: /返回/ }).click();
    await page.getByTestId('staff-session').waitFor();
    await context.close();
  });
});

describe('check-in on a kiosk without a camera', () => {
  it('offers the scanner alone, with no camera view and no error', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    // This Chromium has no camera: getUserMedia fails and the preview stays hidden.
    await expect.poll(() => page.getByTestId('camera-preview').getAttribute('data-camera')).toBe('unavailable');
    expect(await page.getByTestId('camera-preview').isHidden()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });
});
