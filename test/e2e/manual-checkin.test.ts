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
  it('checks in a learner by number on the keypad, and one tapped from the roster list', async () => {
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
    expect(await result.textContent()).toContain('GD2026000103');
    await expectAccessible(page);
    // Checked in learners leave the list of those still expected.
    expect(await page.getByRole('button', { name: '为 GD2026000103 签到' }).count()).toBe(0);

    await page.getByRole('button', { name: '为 GD2026000105 签到' }).click();
    await expect.poll(() => page.getByRole('button', { name: '为 GD2026000105 签到' }).count()).toBe(0);
    expect(await result.textContent()).toContain('GD2026000105');

    // Keying in the first learner again changes nothing.
    for (const digit of '2026000103') await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expect.poll(() => result.getAttribute('data-result')).toBe('already-checked-in');

    await expect.poll(() => platformMethods('GD2026000103'), { timeout: 30_000 }).toEqual(['manual']);
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
