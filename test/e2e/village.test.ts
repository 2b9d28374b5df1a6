import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildPlatformServer } from '../../sync/platform/server';
import { withSyncWrite } from '../../sync/platform/database';
import { DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { approveProposedSession } from '../../sync/platform/admin/class-sessions';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { TEST_STAFF_PIN } from '../support/kiosk';
import { expectAccessible } from '../support/browser';

const HOUR = 3_600_000;
let environment: DemoEnvironment;
let platformPort: number;
const pastClass = { id: randomUUID(), title: '前天的粤剧欣赏课' };

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await environment.platform.database.pool.query(sql, params)).rows as T[];
}

async function checkInByNumber(page: Page, learnerId: string) {
  await page.getByRole('button', { name: '无卡签到' }).click();
  for (const digit of learnerId.slice(2)) await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
  await page.getByRole('button', { name: '签到', exact: true }).click();
  await expect.poll(() => page.getByTestId('manual-result').getAttribute('data-result')).toBe('checked-in');
  await page.getByRole('button', { name: '返回' }).click();
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  platformPort = Number(new URL(environment.platform.url).port);
  await withSyncWrite(environment.platform.database.pool, (client) =>
    client.query(
      `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, status_version, roster, server_seq)
       values ($1, $2, $3, '陈老师', $4, $5, 'closed', 2, '["GD2026000102"]', next_sync_seq())`,
      [pastClass.id, DEMO_SITE_ID, pastClass.title, new Date(Date.now() - 50 * HOUR), new Date(Date.now() - 48 * HOUR)],
    ),
  );
});

afterAll(async () => {
  await environment?.close();
});

describe('a village teaching point, offline', () => {
  it('makes a class on the kiosk, checks in at once, checks in late with a reason, marks what waits, and the platform holds both until approved', async () => {
    const context = await environment.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const synced = page.waitForResponse((r) => r.url().includes('/sync/class_sessions/pull?') && r.url().includes('seq=') && r.ok());
    await page.goto(environment.kiosk.url);
    await synced;
    await environment.platform.app.close();

    await page.getByRole('button', { name: '工作人员' }).click();
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    const item = (title: string) => page.locator('[data-testid=staff-session]', { hasText: title });
    // Two days ago is listed, for a late check-in.
    await item(pastClass.title).waitFor();

    // The form: a topic, today, start two hours before the offered time (so the class is running now), no typing.
    await page.getByTestId('propose-open').click();
    const form = page.getByTestId('propose-session');
    await form.locator('[data-topic=literacy]').click();
    const start = page.getByTestId('propose-start');
    for (let i = 0; i < 8; i += 1) await start.getByRole('button', { name: /^减少/ }).click();
    expect(await page.getByTestId('propose-summary').textContent()).toContain('识字读写');
    await expectAccessible(page);
    await page.getByTestId('propose-save').click();
    await page.getByTestId('proposed-saved').waitFor();
    const made = item('识字读写');
    expect(await made.getAttribute('data-approval')).toBe('proposed');
    expect(await made.getByTestId('session-approval').textContent()).toContain('等平台批准');

    // Check-ins work at once.
    await made.getByRole('button', { name: '开始签到' }).click();
    await checkInByNumber(page, 'GD2026000101');
    await made.getByRole('button', { name: '查看名单' }).click();
    const waitingLine = made.locator('[data-learner=GD2026000101]');
    expect(await waitingLine.getAttribute('data-waiting')).toBe('yes');
    expect(await waitingLine.textContent()).toContain('等待上传');

    // A late check-in into the class two days ago, only with a reason from the list.
    await item(pastClass.title).getByTestId('late-open').click();
    await expectAccessible(page);
    await page.getByTestId('late-reasons').locator('[data-reason=paper-register]').click();
    expect(await page.getByTestId('late-check-in').getAttribute('data-reason')).toBe('paper-register');
    for (const digit of '2026000102') await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expect.poll(() => page.getByTestId('manual-result').getAttribute('data-result')).toBe('checked-in');
    await page.getByRole('button', { name: '返回' }).click();

    // One CSV for a range of days (the default: a month back to today), in the site's time with its offset.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('range-export-button').click()]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const lateRow = csv.split(/\r?\n/).find((line) => line.startsWith(pastClass.id));
    expect(lateRow).toMatch(/,GD2026000102,yes,yes,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00,manual,[^,]*,waiting,paper-register$/);
    expect(csv).toContain('识字读写');

    // The network comes back: the proposal, its check-in and the late check-in reach the platform, held.
    environment.platform.app = await buildPlatformServer({ database: environment.platform.database });
    await environment.platform.app.listen({ host: '127.0.0.1', port: platformPort });
    await page.getByRole('button', { name: '立即同步' }).click();
    const proposed = () => rows<{ id: string; approval: string; proposed_by: string }>(`select id, approval, proposed_by from class_sessions where title = '识字读写'`);
    await expect.poll(async () => (await proposed()).map((s) => s.approval), { timeout: 30_000 }).toEqual(['proposed']);
    const attendance = async () =>
      rows<{ claimed_learner_id: string; review_status: string; review_reasons: string[]; late_reason: string | null }>(
        'select claimed_learner_id, review_status, review_reasons, late_reason from attendance where class_session_id = any($1::uuid[]) order by claimed_learner_id',
        [[(await proposed())[0]!.id, pastClass.id]],
      );
    await expect.poll(attendance, { timeout: 30_000 }).toEqual([
      { claimed_learner_id: 'GD2026000101', review_status: 'held', review_reasons: ['session-not-approved'], late_reason: null },
      { claimed_learner_id: 'GD2026000102', review_status: 'held', review_reasons: ['outside-window', 'late-check-in'], late_reason: 'paper-register' },
    ]);
    // Uploaded: the roster no longer marks it waiting.
    await made.getByRole('button', { name: '查看名单' }).click();
    await expect.poll(() => waitingLine.getAttribute('data-waiting'), { timeout: 30_000 }).toBe('no');

    // An operator approves the class: its check-in is credited, and the kiosk learns the verdict.
    await approveProposedSession(environment.platform.database.pool, (await proposed())[0]!.id);
    expect(await rows('select 1 from credit_ledger where learner_id = $1', ['GD2026000101'])).toHaveLength(1);
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => made.getAttribute('data-approval'), { timeout: 30_000 }).toBe('approved');
    await context.close();
  }, 180_000);
});
