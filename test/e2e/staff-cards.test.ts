import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { revokeCard } from '../../sync/platform/admin/cards';
import { expectAccessible, presentCardAsScanner } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { openSessionAsStaff } from '../support/staff';

let environment: DemoEnvironment;
let platform: DemoEnvironment['platform'];
let kiosk: RunningKioskHost;
let browser: Browser;

interface PrintCall {
  count: string | undefined;
  sheetDisplay: string;
  rootDisplay: string;
  imagesDrawn: boolean[];
}

async function cardText(learnerId: string): Promise<{ serial: number; text: string }> {
  const { rows } = await platform.database.pool.query<{ serial: string; card_text: string }>(
    'select serial, card_text from latest_learner_cards where learner_id = $1',
    [learnerId],
  );
  return { serial: Number(rows[0]!.serial), text: rows[0]!.card_text };
}

/** Decodes what is on screen with jsQR, a different decoder from the kiosk's, as a phone would. */
async function decodeOnScreen(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId('qr-image').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

async function tapLetters(page: Page, letters: string) {
  for (const letter of letters) await page.getByRole('button', { name: letter, exact: true }).click();
}

async function openStaffCards(page: Page) {
  const learnersPulled = page.waitForResponse((r) => r.url().includes('/sync/learners/pull') && r.ok());
  await openSessionAsStaff(page, kiosk.url);
  await learnersPulled;
  await page.getByRole('button', { name: '学员卡', exact: true }).click();
  await page.getByTestId('learner-search').waitFor();
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  ({ platform, kiosk, browser } = environment);
});

afterAll(async () => {
  await environment?.close();
});

describe('learner cards in staff mode', () => {
  it('finds a learner by pinyin letters and shows a card QR that a phone reads and the kiosk accepts', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await openStaffCards(page);
    await expectAccessible(page);

    // 陈秀英 is GD2026000101: C X Y on the letter keypad.
    await tapLetters(page, 'CXY');
    const found = page.getByRole('button', { name: '陈秀英 GD2026000101' });
    await found.waitFor();
    expect(await page.getByTestId('found-learners').getByRole('button').count()).toBe(1);
    await expectAccessible(page);
    await found.click();

    const panel = page.getByTestId('learner-card');
    expect(await panel.getAttribute('data-state')).toBe('valid');
    await page.getByTestId('qr-image').waitFor();
    const expected = await cardText('GD2026000101');
    expect(await decodeOnScreen(page)).toBe(expected.text);
    expect(await panel.textContent()).toContain(`卡号 ${expected.serial}`);
    await expectAccessible(page);

    // The shown card checks the learner in like the printed one.
    await page.getByRole('button', { name: /返回/ }).click();
    await page.getByRole('button', { name: /返回/ }).click();
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, (await cardText('GD2026000101')).text);
    await expect.poll(() => page.getByRole('heading', { name: /陈秀英/ }).count()).toBe(1);
    await context.close();
  });

  it('prints one card, and the cards of everyone on the open class, on an A4 sheet', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    // Headless Chromium has no print dialog: record what the page would print instead.
    await page.addInitScript(() => {
      const calls: PrintCall[] = [];
      (window as unknown as { printCalls: PrintCall[] }).printCalls = calls;
      window.print = () => {
        const sheet = document.querySelector<HTMLElement>('.print-sheet');
        calls.push({
          count: sheet?.dataset.count,
          sheetDisplay: sheet ? getComputedStyle(sheet).display : 'missing',
          rootDisplay: getComputedStyle(document.getElementById('root')!).display,
          imagesDrawn: [...(sheet?.querySelectorAll('img') ?? [])].map((img) => img.complete && img.naturalWidth > 0),
        });
      };
    });
    await openStaffCards(page);
    const printCalls = () => page.evaluate(() => (window as unknown as { printCalls: PrintCall[] }).printCalls);

    await page.getByTestId('learner-search').fill('何家明');
    await page.getByRole('button', { name: /何家明/ }).click();
    // In print media the screen is hidden, so the button is pressed through the DOM.
    await page.emulateMedia({ media: 'print' });
    await page.locator('button', { hasText: '打印这张卡' }).evaluate((button: HTMLElement) => button.click());
    await expect.poll(async () => (await printCalls()).length).toBe(1);
    expect((await printCalls())[0]).toEqual({ count: '1', sheetDisplay: 'grid', rootDisplay: 'none', imagesDrawn: [true] });
    // Printed, the sheet goes away again.
    await expect.poll(() => page.getByTestId('print-sheet').count()).toBe(0);

    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: /返回/ }).click();
    await page.getByTestId('print-roster').waitFor();
    await page.emulateMedia({ media: 'print' });
    await page.getByTestId('print-roster').evaluate((button: HTMLElement) => button.click());
    await expect.poll(async () => (await printCalls()).length).toBe(2);
    const roster = (await printCalls())[1]!;
    // The demo class has fifteen of the site's twenty learners on its roster.
    expect(roster.count).toBe('15');
    expect(roster.imagesDrawn.filter(Boolean)).toHaveLength(15);
    await context.close();
  });

  it('stops offering a card the platform revoked, once the kiosk has synced', async () => {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const page = await context.newPage();
    await openStaffCards(page);
    await revokeCard(platform.database.pool, (await cardText('GD2026000107')).serial);
    await page.getByRole('button', { name: /返回/ }).click();
    const pulled = page.waitForResponse((r) => r.url().includes('/sync/learners/pull') && r.ok());
    await page.getByRole('button', { name: '立即同步' }).click();
    await pulled;
    await page.getByRole('button', { name: '学员卡', exact: true }).click();
    await tapLetters(page, 'ZGH');
    await page.getByRole('button', { name: /张国华/ }).click();
    await expect.poll(() => page.getByTestId('learner-card').getAttribute('data-state')).toBe('none');
    expect(await page.getByTestId('qr-image').count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });
});
