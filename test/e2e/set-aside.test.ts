import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withSyncWrite } from '../../sync/platform/database';
import { DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { buildPlatformServer } from '../../sync/platform/server';
import { presentCardAsScanner } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { TEST_STAFF_PIN } from '../support/kiosk';
import { demoCard } from '../support/platform';

let environment: DemoEnvironment;
const removed = { id: randomUUID(), title: '后来取消的课' };

async function unlockStaff(page: Page) {
  if (await page.getByTestId('staff-session').count()) return;
  const home = page.getByRole('button', { name: '首页' });
  if (await home.count()) await home.click();
  await page.getByRole('button', { name: '工作人员' }).click();
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  await page.getByTestId('staff-session').first().waitFor();
}

async function checkInTo(page: Page, title: string, cardText: string) {
  await unlockStaff(page);
  const item = page.locator('[data-testid=staff-session]', { hasText: title });
  await item.getByRole('button', { name: '开始签到' }).click();
  await item.getByRole('button', { name: '去签到页面' }).click();
  await page.getByTestId('scan-prompt').waitFor();
  await presentCardAsScanner(page, cardText);
  expect(await page.getByTestId('checkin-result').getAttribute('data-result')).toBe('checked-in');
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  await withSyncWrite(environment.platform.database.pool, (client) =>
    client.query(
      `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, roster, server_seq)
       values ($1, $2, $3, '陈老师', now() + interval '10 minutes', now() + interval '70 minutes', 'planned', '[]', next_sync_seq())`,
      [removed.id, DEMO_SITE_ID, removed.title],
    ),
  );
});

afterAll(async () => {
  await environment?.close();
});

describe('records the platform sets aside', () => {
  it('keeps a refused check-in with its reason and a held one with its reasons, shows and exports both, and goes on syncing', async () => {
    const { platform } = environment;
    const port = Number(new URL(platform.url).port);
    const pool = platform.database.pool;
    const [onRoster, offRoster] = [await demoCard(pool, 'first'), await demoCard(pool, 'last')];
    const context = await environment.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(environment.kiosk.url);
    await unlockStaff(page);
    await page.locator('[data-testid=staff-session]', { hasText: removed.title }).waitFor();

    // Offline: one check-in to a class the platform then removes, one walk-in not on the roster.
    await platform.app.close();
    await checkInTo(page, removed.title, onRoster.text);
    const demoTitle = (await pool.query<{ title: string }>('select title from class_sessions where id <> $1', [removed.id])).rows[0]!.title;
    await checkInTo(page, demoTitle, offRoster.text);
    await withSyncWrite(pool, (client) => client.query('update class_sessions set deleted = true, server_seq = next_sync_seq() where id = $1', [removed.id]));
    platform.app = await buildPlatformServer({ database: platform.database });
    await platform.app.listen({ host: '127.0.0.1', port });

    await unlockStaff(page);
    await expect.poll(() => page.getByTestId('sync-waiting').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('sync-refused').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    expect(await page.getByTestId('sync-held').getAttribute('data-count')).toBe('1');
    const refused = page.locator('[data-testid=set-aside] li[data-kind=refused]');
    expect(await refused.getAttribute('data-reason')).toBe('unknown-session');
    expect(await refused.textContent()).toContain('平台上没有这节课');
    const held = page.locator('[data-testid=set-aside] li[data-kind=held]');
    expect(await held.getAttribute('data-reason')).toBe('off-roster');
    expect(await held.textContent()).toContain('学员不在这节课的名单上');

    const item = page.locator('[data-testid=staff-session]', { hasText: demoTitle });
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: '导出签到表（CSV）' }).click()]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...lines] = csv.split(/\r?\n/);
    const row = lines.find((line) => line.split(',')[3] === offRoster.learnerId);
    expect(row?.split(',')[header!.split(',').indexOf('platform_status')]).toBe('held:off-roster');

    // Nothing blocks: a new check-in after the refusal still reaches the platform.
    await item.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, onRoster.text);
    await page.getByTestId('checkin-result').waitFor();
    await expect
      .poll(async () => Number((await pool.query('select count(*) as n from attendance where learner_id = $1', [onRoster.learnerId])).rows[0].n), {
        timeout: 30_000,
      })
      .toBe(1);
    await context.close();
  });
});
