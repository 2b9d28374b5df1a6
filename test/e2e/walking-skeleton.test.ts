import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildPlatformServer } from '../../sync/platform/server';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { demoCard } from '../support/platform';
import { presentCardAsScanner, expectAccessible } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { TEST_STAFF_PIN } from '../support/kiosk';

let environment: DemoEnvironment;
let platform: DemoEnvironment['platform'];
let platformPort: number;
let kiosk: RunningKioskHost;
let browser: Browser;
let card: { learnerId: string; name: string; text: string };

/** Stops the platform's HTTP server but keeps its database, as when a site's network drops. */
async function platformGoesAway() {
  await platform.app.close();
}

async function platformComesBack() {
  platform.app = await buildPlatformServer({ database: platform.database });
  await platform.app.listen({ host: '127.0.0.1', port: platformPort });
}

async function rowCount(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}



/** Opens the kiosk and waits until it has stored the platform's issuer keys and class sessions. */
async function openSyncedKiosk(page: Page) {
  // A pull that sends a checkpoint comes after the previous batch was stored in IndexedDB.
  const stored = (name: string) => page.waitForResponse((r) => r.url().includes(`/sync/${name}/pull?`) && r.url().includes('seq=') && r.ok());
  const synced = Promise.all(['issuer_keys', 'class_sessions'].map(stored));
  await page.goto(kiosk.url);
  await synced;
}

async function runSlice(page: Page, run: number) {
  await openSyncedKiosk(page);
  await expect.poll(() => page.getByRole('heading', { name: '粤学终端' }).count()).toBe(1);
  await expectAccessible(page);

  await platformGoesAway();

  await page.getByRole('button', { name: '工作人员' }).click();
  await expectAccessible(page);
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  const session = page.getByTestId('staff-session');
  await session.waitFor();
  await expectAccessible(page);
  const openButton = page.getByRole('button', { name: '开始签到' });
  if (await openButton.count()) await openButton.click();
  await page.getByRole('button', { name: '去签到页面' }).click();
  await page.getByTestId('scan-prompt').waitFor();
  await expectAccessible(page);

  await presentCardAsScanner(page, card.text);
  const result = page.getByTestId('checkin-result');
  await result.waitFor();
  expect(`${await result.getAttribute('data-result')} ${await result.getAttribute('data-reason')}`).toMatch(/^(checked-in|already-checked-in) null$/);
  expect(await result.textContent()).toContain(card.name);
  await expectAccessible(page);
  if (run === 1) expect(await result.getAttribute('data-result')).toBe('checked-in');

  if (run === 1) {
    // Offline, the record waits in IndexedDB and survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count')).toBe('1');
  }

  await platformComesBack();
  await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
  expect(await rowCount('select count(*) as n from attendance where learner_id = $1', [card.learnerId])).toBe(1);
  expect(await rowCount(`select count(*) as n from credit_ledger where learner_id = $1 and source_type = 'attendance'`, [card.learnerId])).toBe(1);

  // The kiosk pulls the ledger back and shows the learner's credits.
  const home = page.getByRole('button', { name: '首页' });
  if (await home.count()) await home.click();
  await page.getByRole('button', { name: '我的学分' }).click();
  await expectAccessible(page);
  await expect
    .poll(
      async () => {
        await presentCardAsScanner(page, card.text);
        const hours = page.getByTestId('ledger-hours');
        return (await hours.count()) ? hours.getAttribute('data-hours') : null;
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe('2');
  expect(await page.getByTestId('credits').textContent()).toContain(card.name);
  await expectAccessible(page);
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  ({ platform, kiosk, browser } = environment);
  platformPort = Number(new URL(platform.url).port);
  card = await demoCard(platform.database.pool);
});

afterAll(async () => {
  await environment?.close();
});

describe('walking skeleton: offline check-in, sync, credits', () => {
  it('checks a learner in offline, syncs once, and shows the credits', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await runSlice(await context.newPage(), 1);
    await context.close();
  });

  it('leaves exactly one row when the same slice runs again on a fresh kiosk profile', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await runSlice(await context.newPage(), 2);
    await context.close();
  });

  it('answers an unreadable or unknown card kindly and records nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await openSyncedKiosk(page);
    await page.getByRole('button', { name: '上课签到' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    const before = await rowCount('select count(*) as n from attendance', []);
    for (const [text, reason] of [
      // Not a learner card at all (no YX: prefix): said so, rather than "cannot read, try again".
      ['HELLO-WORLD-12345', 'not-a-card'],
      ['YX:not-base64!', 'unreadable'],
      [card.text.slice(0, -6) + 'AAAAAA', 'forged'],
    ] as const) {
      await presentCardAsScanner(page, text);
      const result = page.getByTestId('checkin-result');
      await result.waitFor();
      expect(await result.getAttribute('data-reason')).toBe(reason);
      await expectAccessible(page);
      await page.getByRole('button', { name: '下一位' }).click();
    }
    expect(await page.getByTestId('waiting-count').getAttribute('data-count')).toBe('0');
    expect(await rowCount('select count(*) as n from attendance', [])).toBe(before);
    await context.close();
  });
});
