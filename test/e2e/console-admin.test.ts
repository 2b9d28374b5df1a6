import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createOperator } from '../../sync/platform/admin/operators';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { withSyncWrite } from '../../sync/platform/database';
import { demoAttendance } from '../support/attendance';
import { launchChromium } from '../support/browser';
import { signInToConsole, startConsolePlatform, type ConsolePlatform } from '../support/console-platform';
import { httpCall } from '../support/http';

let platform: ConsolePlatform;
let browser: Browser;
let page: Page;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  platform = await startConsolePlatform();
  const credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await createOperator(platform.database.pool, { login: 'admin', displayName: '省管理员', role: 'province-admin', password: PASSWORD, siteIds: [] });
  // Two attendances in November, so the ledger and reports have something to show; the kiosk
  // has served since early November, so the platform finds records from then plausible.
  await platform.database.pool.query(`update kiosks set enrolled_at = '2026-11-01T00:00:00Z'`);
  const { rows } = await withSyncWrite(platform.database.pool, (client) =>
    client.query<{ id: string }>(
      `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
       values (gen_random_uuid(), $1, '粤剧欣赏', '2026-11-20T06:00:00Z', '2026-11-20T09:00:00Z', 'planned', next_sync_seq()) returning id`,
      [DEMO_SITE_ID],
    ),
  );
  const pushed = await httpCall(
    platform.url,
    'POST',
    '/sync/attendance/push',
    ['GD2026000101', 'GD2026000102'].map((l) => ({ newDocumentState: demoAttendance(rows[0]!.id, l, { deviceTime: '2026-11-20T06:05:00.000Z', method: 'manual' }) })),
    credential,
  );
  // Each row is answered with what the platform stored: both credited, neither held for review.
  expect((pushed.body as { review?: unknown }[]).map((answer) => answer.review ?? 'credited')).toEqual(['credited', 'credited']);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true })).newPage();
  await signInToConsole(page, platform.url, 'admin', PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function openPage(name: string, heading: string) {
  await page.goto(`${platform.url}/console/#/${name}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
}

describe('console as the province admin', () => {
  it('shows a site with its kiosk and the kiosk\'s health', async () => {
    await page.goto(`${platform.url}/console/#/sites/${DEMO_SITE_ID}`);
    await page.getByRole('heading', { level: 1, name: '东山' }).or(page.getByRole('heading', { level: 1 })).first().waitFor();
    // The demo kiosk pushed attendance (so it was seen) but sent no heartbeat yet: healthy.
    await page.getByRole('rowheader', { name: /KIOSK-DONGSHAN-1/ }).waitFor();
    await page.getByText('正常', { exact: true }).waitFor();
  });

  it('creates a weekly class and lists its sessions', async () => {
    await openPage('timetable', '课程表');
    await page.getByLabel('课程', { exact: true }).fill('太极入门');
    await page.getByLabel('教室').fill('一号教室');
    await page.getByLabel('重复').selectOption('4');
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByText('已创建 4 节课').waitFor();
    await page.getByRole('row', { name: /太极入门/ }).nth(3).waitFor();
    expect(await page.getByRole('row', { name: /太极入门/ }).count()).toBe(4);
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByRole('alert').getByText('冲突').waitFor();
  });

  it('confirms a ledger range', async () => {
    await openPage('ledger', '学分台账');
    await page.getByLabel('开始日期').fill('2026-11-01');
    await page.getByLabel('结束日期').fill('2026-11-30');
    await page.getByRole('button', { name: '确认 2 条待确认记录' }).click();
    await page.getByText('已确认 2 条记录。').waitFor();
    const { rows } = await platform.database.pool.query(`select distinct status from credit_ledger`);
    expect(rows).toEqual([{ status: 'confirmed' }]);
  });

  it('draws the report charts and downloads the attendance CSV', async () => {
    await openPage('reports', '报表');
    await page.getByLabel('开始日期').fill('2026-11-01');
    await page.getByLabel('结束日期').fill('2026-11-30');
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('canvas').count()).toBe(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '出勤（CSV）' }).click()]);
    expect(download.suggestedFilename()).toBe('attendance-all-2026-11-01-2026-11-30.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.trim().split('\n')).toEqual([
      'site_id,day,learner_id,display_name,sessions',
      `${DEMO_SITE_ID},2026-11-20,GD2026000101,陈秀英,1`,
      `${DEMO_SITE_ID},2026-11-20,GD2026000102,李婉仪,1`,
    ]);
  });
});
