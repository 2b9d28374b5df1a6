import type { Page } from 'playwright-core';
import { TEST_STAFF_PIN } from './kiosk';

/** Loads the kiosk, waits for its first pull of keys and sessions, and opens today's session as staff. */
export async function openSessionAsStaff(page: Page, kioskUrl: string): Promise<void> {
  const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
  const sessionsPulled = page.waitForResponse((r) => r.url().includes('/sync/class_sessions/pull') && r.ok());
  await page.goto(kioskUrl);
  await Promise.all([keysPulled, sessionsPulled]);
  await page.getByRole('button', { name: '工作人员' }).click();
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  await page.getByTestId('staff-session').waitFor();
  const openButton = page.getByRole('button', { name: '开始签到' });
  if (await openButton.count()) await openButton.click();
  await page.locator('[data-testid=staff-session][data-status=open]').waitFor();
}
