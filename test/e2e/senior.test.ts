import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedDemo } from '../../sync/platform/demo-seed';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { startTestPlatform, demoCard, demoSessionsOpenNow } from '../support/platform';
import { accessibilityViolations, launchChromium, presentCardAsScanner } from '../support/browser';
import { startTestKioskHost, TEST_STAFF_PIN } from '../support/kiosk';
import { leaveIdle, runOutCountdown } from '../support/idle';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: { learnerId: string; name: string; text: string };
const contexts: BrowserContext[] = [];

/** A page on the kiosk, its home shown; with `clock`, its timers can be moved on (test/support/idle.ts). */
async function newPage(url: string, { clock = false } = {}): Promise<Page> {
  // The computer's clock on UTC, as kiosk images often are: the site's time must still show.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true, timezoneId: 'UTC' });
  contexts.push(context);
  const page = await context.newPage();
  if (clock) await page.clock.install();
  const keysPulled = page.waitForResponse((r) => r.url().includes('/sync/issuer_keys/pull') && r.ok());
  await page.goto(url);
  await keysPulled;
  await page.getByRole('heading', { name: '粤学终端' }).waitFor();
  return page;
}


async function unlockStaff(page: Page) {
  await page.getByRole('button', { name: '工作人员' }).click();
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  await page.getByTestId('staff-session').first().waitFor();
}

beforeAll(async () => {
  platform = await startTestPlatform();
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await demoSessionsOpenNow(platform.database.pool);
  card = await demoCard(platform.database.pool);
  kiosk = await startTestKioskHost(platform.url, credential);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
});

describe('idle reset', () => {
  it('offers "I\'m still here", then goes home in zh-CN and forgets the learner', async () => {
    const page = await newPage(kiosk.url, { clock: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('text-size-40').click();
    await page.getByRole('button', { name: 'My credits' }).click();
    // The screen is its own chunk: scan once it is there, as a learner holds the card up to it.
    await page.getByRole('heading', { name: 'My credits' }).waitFor();
    await presentCardAsScanner(page, card.text);
    await page.getByTestId('credits').waitFor();

    await leaveIdle(page);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: "I'm still here" }).click();
    const overlay = page.getByTestId('idle-overlay');
    await overlay.waitFor({ state: 'detached' });
    expect(await page.getByTestId('credits').textContent()).toContain(card.name);

    // Left alone again: countdown, then the reset.
    await leaveIdle(page);
    await runOutCountdown(page);
    await page.getByRole('heading', { name: '粤学终端' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.evaluate(() => document.documentElement.style.fontSize)).toBe('24px');
    expect(await page.locator('body').textContent()).not.toContain(card.name);
    expect(await overlay.count()).toBe(0);
  });

  it('leaves staff mode when idle', async () => {
    const page = await newPage(kiosk.url, { clock: true });
    await unlockStaff(page);
    await leaveIdle(page);
    await runOutCountdown(page);
    await page.getByRole('heading', { name: '粤学终端' }).waitFor();
    expect(await page.getByTestId('staff-session').count()).toBe(0);
  });
});

describe('voice and text size', () => {
  it('reads the screen aloud in the chosen language and scales the text', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    // A kiosk with system voices, as Windows has (headless Chromium has none: there the shipped
    // eSpeak NG speaks, test/e2e/read-aloud.test.ts); record what would be spoken.
    await context.addInitScript(() => {
      const spoken: { text: string; lang: string }[] = [];
      (window as unknown as { spoken: typeof spoken }).spoken = spoken;
      const voices = ['zh-CN', 'zh-HK', 'en-GB'].map((lang) => ({ lang, name: lang, default: false, localService: true, voiceURI: lang }));
      window.speechSynthesis.getVoices = () => voices as unknown as SpeechSynthesisVoice[];
      window.SpeechSynthesisUtterance = class {
        voice: unknown = null;
        lang = '';
        rate = 1;
        constructor(readonly text: string) {}
      } as unknown as typeof SpeechSynthesisUtterance;
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void spoken.push({ text: u.text, lang: u.lang });
    });
    const page = await context.newPage();
    await page.goto(kiosk.url);
    await page.getByRole('button', { name: '繁體中文（粵語）' }).click();
    await page.getByTestId('read-aloud').click();
    const spoken = await page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
    expect(spoken).toHaveLength(1);
    expect(spoken[0]!.lang).toBe('zh-HK');
    expect(spoken[0]!.text).toContain('你好！請揀你想做嘅嘢');

    await page.getByTestId('text-size-32').click();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');
    expect(await page.getByTestId('text-size-32').getAttribute('aria-pressed')).toBe('true');
  });
});

describe('staff mode', () => {
  it('locks the PIN pad after five wrong PINs', async () => {
    const lockKiosk = await startTestKioskHost(platform.url, credential);
    try {
      const page = await newPage(lockKiosk.url);
      await page.getByRole('button', { name: '工作人员' }).click();
      const message = page.getByTestId('pin-message');
      for (let attempt = 1; attempt <= 5; attempt++) {
        for (const digit of '1111') await page.getByRole('button', { name: `数字 ${digit}` }).click();
        await page.getByRole('button', { name: '进入' }).click();
        await expect.poll(() => message.textContent()).toContain(attempt < 5 ? `${5 - attempt} 次` : '输错次数太多');
      }
      // Even the right PIN is refused while locked.
      for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
      await page.getByRole('button', { name: '进入' }).click();
      await expect.poll(() => message.textContent()).toContain('输错次数太多');
      expect(await page.getByTestId('staff-session').count()).toBe(0);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await lockKiosk.close();
    }
  });

  it('shows the roster with who checked in, exports it as CSV, and reports sync status', async () => {
    const page = await newPage(kiosk.url);
    await unlockStaff(page);
    // Class times show in the site's time zone (Guangdong), whatever the kiosk computer's is.
    const { rows: times } = await platform.database.pool.query<{ starts_at: Date; ends_at: Date }>('select starts_at, ends_at from class_sessions limit 1');
    const hm = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
    expect(await page.getByTestId('staff-session').first().textContent()).toContain(`${hm.format(times[0]!.starts_at)}–${hm.format(times[0]!.ends_at)}`);
    const openButton = page.getByRole('button', { name: '开始签到' });
    if (await openButton.count()) await openButton.click();
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, card.text);
    await page.getByTestId('checkin-result').waitFor();
    await page.getByRole('button', { name: '首页' }).click();
    await unlockStaff(page);

    await page.getByRole('button', { name: '查看名单' }).click();
    const line = page.getByTestId('roster').locator(`li[data-learner="${card.learnerId}"]`);
    expect(await line.getAttribute('data-checked-in')).toBe('yes');
    expect(await line.textContent()).toContain('已签到');
    expect(await accessibilityViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出签到表（CSV）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^attendance-.+\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toBe('session_id,session_title,session_starts_at,learner_id,on_roster,checked_in,checked_in_at,method,learner_name,platform_status,late_reason');
    const learnerRow = rows.find((r) => r.split(',')[3] === card.learnerId);
    expect(learnerRow?.split(',').slice(5, 6)).toEqual(['yes']);
    expect(learnerRow?.split(',')[7]).toBe('scanner');
    expect(learnerRow?.split(',')[8]).toBe(card.name);
    expect(learnerRow?.split(',')[9]).toMatch(/^(waiting|received)$/);
    expect(rows.filter((r) => r.split(',')[5] === 'yes')).toHaveLength(1);

    // Once the check-in has uploaded, the status says so in plain words.
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => page.getByTestId('sync-waiting').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    expect(await page.getByTestId('last-sync').textContent()).toContain('上次同步成功');
    expect(await page.getByTestId('sync-error').count()).toBe(0);
  });
});
