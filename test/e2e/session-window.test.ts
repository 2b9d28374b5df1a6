import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withSyncWrite } from '../../sync/platform/database';
import { DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { TEST_STAFF_PIN } from '../support/kiosk';

let environment: DemoEnvironment;
const HOUR = 3_600_000;
const sessions = {
  // Left open two days ago, never closed.
  forgotten: { id: randomUUID(), title: '前天忘了关的课', startsAt: -49 * HOUR, endsAt: -47 * HOUR, status: 'open' },
  // A week-long workshop that started two days ago: open, not today's, still running.
  workshop: { id: randomUUID(), title: '一周书法工作坊', startsAt: -48 * HOUR, endsAt: 120 * HOUR, status: 'open' },
  tomorrow: { id: randomUUID(), title: '明天的太极课', startsAt: 24 * HOUR, endsAt: 26 * HOUR, status: 'planned' },
};

async function platformStatus(id: string) {
  const { rows } = await environment.platform.database.pool.query<{ status: string; status_version: number }>(
    'select status, status_version from class_sessions where id = $1',
    [id],
  );
  return rows[0];
}

async function unlockStaff(page: Page) {
  await page.getByRole('button', { name: '工作人员' }).click();
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  await page.getByTestId('staff-session').first().waitFor();
}

beforeAll(async () => {
  environment = await startDemoEnvironment();
  const now = Date.now();
  await withSyncWrite(environment.platform.database.pool, async (client) => {
    for (const s of Object.values(sessions)) {
      await client.query(
        `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, status_version, roster, server_seq)
         values ($1, $2, $3, '陈老师', $4, $5, $6, $7, '[]', next_sync_seq())`,
        [s.id, DEMO_SITE_ID, s.title, new Date(now + s.startsAt), new Date(now + s.endsAt), s.status, s.status === 'open' ? 1 : 0],
      );
    }
  });
});

afterAll(async () => {
  await environment?.close();
});

describe('the kiosk keeps to the check-in window', () => {
  it('closes a class past its end by itself, lists every open and upcoming class for staff, and says when check-in opens', async () => {
    const context = await environment.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(environment.kiosk.url);
    // The class left open two days ago closes itself, on the kiosk and, with its version, on the platform.
    await expect.poll(() => platformStatus(sessions.forgotten.id), { timeout: 30_000 }).toEqual({ status: 'closed', status_version: 2 });

    await unlockStaff(page);
    const item = (title: string) => page.locator('[data-testid=staff-session]', { hasText: title });
    await item(sessions.workshop.title).waitFor();
    await item(sessions.tomorrow.title).waitFor();
    expect(await item(sessions.workshop.title).getAttribute('data-status')).toBe('open');
    // Staff can close an open class of another day.
    await item(sessions.workshop.title).getByRole('button', { name: '结束签到' }).click();
    await expect.poll(() => platformStatus(sessions.workshop.id), { timeout: 30_000 }).toEqual({ status: 'closed', status_version: 2 });

    // Tomorrow's class can be opened, but takes no check-in before its window: the screen says when it opens.
    await item(sessions.tomorrow.title).getByRole('button', { name: '开始签到' }).click();
    await page.getByRole('button', { name: '去签到页面' }).click();
    const outside = page.getByTestId('outside-window');
    await outside.waitFor();
    expect(await outside.getAttribute('data-reason')).toBe('window-not-open');
    expect(await outside.textContent()).toContain('起可以签到');
    await context.close();
  });
});
