import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import type { DemoCard } from '../support/platform';
import { openSessionAsStaff } from '../support/staff';
import { openKiosk, startLearnKiosk, type LearnKiosk } from '../support/learn-kiosk';
import { scanWithKeyboard } from '../support/scanner';

const EAN_13 = '6901234567892';
const WECHAT_URL = 'https://u.wechat.com/EK2aBcDeFgHiJkLmN';

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

async function learnWithSearchFocused(): Promise<Page> {
  const page = await openKiosk(browser, kiosk.url);
  await page.getByRole('button', { name: '学习课程' }).click();
  await page.getByTestId('course-search').focus();
  return page;
}

describe('USB scanner on the Learn screen, with the course search box focused', () => {
  it('reads a card and leaves nothing in the box', async () => {
    const page = await learnWithSearchFocused();
    await scanWithKeyboard(page, card.text);
    await expect.poll(() => page.getByTestId('learner').getAttribute('data-learner'), { timeout: 15_000 }).toBe(card.learnerId);
    expect(await page.getByTestId('course-search').inputValue()).toBe('');
    await page.close();
  });

  it('reads a card whose burst stalls 150 ms in the middle as one scan', async () => {
    const page = await learnWithSearchFocused();
    await scanWithKeyboard(page, card.text, 150);
    await expect.poll(() => page.getByTestId('learner').getAttribute('data-learner'), { timeout: 15_000 }).toBe(card.learnerId);
    expect(await page.getByTestId('course-search').inputValue()).toBe('');
    expect(await page.getByTestId('card-problem').count()).toBe(0);
    await page.close();
  });

  it('says a product barcode (EAN-13) is not a learner card', async () => {
    const page = await learnWithSearchFocused();
    await scanWithKeyboard(page, EAN_13);
    await expect.poll(() => page.getByTestId('card-problem').textContent()).toBe('这是商品上的条形码，不是学员卡。请出示您的学员卡。');
    expect(await page.getByTestId('course-search').inputValue()).toBe('');
    await page.close();
  });

  it('still takes a person typing pinyin initials into the box', async () => {
    const page = await learnWithSearchFocused();
    await page.keyboard.type('gdc', { delay: 200 });
    await expect.poll(() => page.getByTestId('course-search').inputValue()).toBe('gdc');
    await expect.poll(() => page.locator('[data-course]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-course')))).toEqual(['cantonese-cuisine']);
    await page.close();
  });
});

describe('codes that are not learner cards, by USB scanner', () => {
  it('check-in: a web address says so, and nothing is recorded', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await openSessionAsStaff(page, kiosk.url);
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await scanWithKeyboard(page, WECHAT_URL);
    const result = page.getByTestId('checkin-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('这是网址或微信的二维码，不是学员卡。请出示您的学员卡。');
    expect(await result.textContent()).toContain('本次没有记录任何信息。');
    await page.close();
  });

  it('My credits: a product barcode says so', async () => {
    const page = await openKiosk(browser, kiosk.url);
    await page.getByRole('button', { name: '我的学分' }).click();
    // The screen is its own chunk: scan once it is there, as a learner holds the card up to it.
    await page.getByRole('heading', { name: '我的学分' }).waitFor();
    await scanWithKeyboard(page, EAN_13);
    await expect.poll(() => page.getByTestId('credits-rejected').textContent()).toBe('!这是商品上的条形码，不是学员卡。请出示您的学员卡。');
    await page.close();
  });
});
