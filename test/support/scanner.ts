import type { Page } from 'playwright-core';

/**
 * A USB scanner presenting a code through the browser's real keyboard input (trusted key events,
 * so a key that leaked would really land in a focused text box), ending with Enter. With `stallMs`,
 * the scanner stalls that long halfway, as one does when the kiosk is busy.
 */
export async function scanWithKeyboard(page: Page, text: string, stallMs = 0): Promise<void> {
  const half = Math.floor(text.length / 2);
  await page.keyboard.type(stallMs > 0 ? text.slice(0, half) : text);
  if (stallMs > 0) {
    await page.waitForTimeout(stallMs);
    await page.keyboard.type(text.slice(half));
  }
  await page.keyboard.press('Enter');
}
