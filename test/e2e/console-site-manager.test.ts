import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createOperator } from '../../sync/platform/admin/operators';
import { createSite } from '../../sync/platform/admin/sites';
import { createEnrolmentRequest } from '../../sync/platform/enrolment-requests';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { launchChromium } from '../support/browser';
import { InMemoryReviewQueue, signInToConsole, startConsolePlatform, type ConsolePlatform } from '../support/console-platform';

let platform: ConsolePlatform;
let browser: Browser;
let page: Page;
let work: string;
const PASSWORD = 'correct horse battery';
const queue = new InMemoryReviewQueue([]);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-console-e2e-'));
  queue.records = [
    { type: 'attendance', id: '0190a000-0000-7000-8000-000000000001', siteId: DEMO_SITE_ID, learnerId: 'GD2026000101', subject: '粤剧欣赏', deviceTime: new Date('2026-11-20T06:05:00Z'), reasons: ['off-roster'] },
    { type: 'attendance', id: '0190a000-0000-7000-8000-000000000002', siteId: DEMO_SITE_ID, learnerId: 'GD2026000102', subject: '粤剧欣赏', deviceTime: new Date('2026-11-20T06:06:00Z'), reasons: ['outside-window', 'card-revoked'] },
    { type: 'lesson', id: '0190a000-0000-7000-8000-000000000003', siteId: DEMO_SITE_ID, learnerId: 'GD2026000103', subject: '智能手机入门', deviceTime: new Date('2026-11-21T06:00:00Z'), reasons: ['unknown-learner'] },
    { type: 'attendance', id: '0190a000-0000-7000-8000-000000000004', siteId: 'FS-CHANCHENG', learnerId: 'FS1', subject: '书法', deviceTime: new Date('2026-11-21T06:00:00Z'), reasons: ['off-roster'] },
  ];
  platform = await startConsolePlatform(queue);
  await seedDemo(platform.database.pool, null);
  await createSite(platform.database.pool, { id: 'FS-CHANCHENG', name: '禅城' });
  await createOperator(platform.database.pool, { login: 'dongshan', displayName: '东山站长', role: 'site-manager', password: PASSWORD, siteIds: [DEMO_SITE_ID] });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })).newPage();
  await signInToConsole(page, platform.url, 'dongshan', PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  await rm(work, { recursive: true, force: true });
});

describe('console as a site manager, on a phone', () => {
  it('approves a kiosk\'s enrolment from the link in its QR code', async () => {
    const request = await createEnrolmentRequest(platform.database.pool, { kioskName: '东山大厅终端' });
    await page.goto(`${platform.url}/console/#/enrolment?code=${request.userCode}`);
    await page.getByRole('heading', { level: 2, name: '东山大厅终端' }).waitFor();
    await page.getByRole('button', { name: `批准加入 ${DEMO_SITE_ID}` }).tap();
    await page.getByText(`已批准：东山大厅终端 将在一分钟内加入 ${DEMO_SITE_ID}。`).waitFor();
    const { rows } = await platform.database.pool.query('select site_id from enrolment_requests where user_code = $1', [request.userCode]);
    expect(rows).toEqual([{ site_id: DEMO_SITE_ID }]);
  });

  it('imports learners, showing the bad row by line, and finds the new learner by pinyin initials', async () => {
    const csv = join(work, 'learners.csv');
    await writeFile(csv, `id,display_name,home_site_id\nGD2026000201,王小明,${DEMO_SITE_ID}\nGD2026000202,,${DEMO_SITE_ID}\nFS9,别处,FS-CHANCHENG\n`);
    await page.goto(`${platform.url}/console/#/learners`);
    await page.getByLabel('CSV 文件').setInputFiles(csv);
    await page.getByRole('button', { name: '导入', exact: true }).tap();
    await page.getByText('已导入 1 名学员。').waitFor();
    await page.getByText('第 3 行：display_name must be 1–40 characters').waitFor();
    await page.getByText('第 4 行：home_site_id "FS-CHANCHENG" is not one of your sites').waitFor();
    await page.getByLabel('查找学员').fill('wxm');
    // 王小明 is listed before the search narrows the list too: wait for the narrowed list.
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await page.getByRole('rowheader', { name: '王小明' }).waitFor();
  });

  it('clears the review queue: one approved alone, the rest refused together', async () => {
    await page.goto(`${platform.url}/console/#/review`);
    await page.getByText('不在本课程名单上').first().waitFor();
    expect(await page.getByRole('row').count()).toBe(4);
    await page.getByRole('button', { name: '批准 GD2026000101' }).tap();
    await page.getByText('已批准 1 条记录。').waitFor();
    await page.getByLabel('全选').check();
    await page.getByRole('button', { name: '拒绝已勾选（2）' }).tap();
    await page.getByText('已拒绝 2 条记录。').waitFor();
    await page.getByText('没有待审核的记录。').waitFor();
    expect(queue.decided.map((d) => d.decision)).toEqual(['approve', 'refuse', 'refuse']);
    expect(queue.records.map((r) => r.siteId)).toEqual(['FS-CHANCHENG']);
  });

  it('is refused another site\'s page with a clear message', async () => {
    await page.goto(`${platform.url}/console/#/kiosks`);
    const answer = await page.evaluate(async () => (await fetch('/console/api/sites/FS-CHANCHENG/learners')).json());
    expect(answer).toMatchObject({ statusCode: 403, code: 'other-site' });
  });
});
