import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { PLATFORM_CONTACT_FILE } from '../../electron/host/platform-contact';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { expectAccessible, launchChromium, presentCardAsScanner } from '../support/browser';
import { TEST_STAFF_PIN, testSettings } from '../support/kiosk';
import { demoCard, demoSessionsOpenNow, startTestPlatform } from '../support/platform';

const DAY = 86_400_000;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
let folder: string;
let credential: string;
let kiosk: RunningKioskHost | undefined;

/** The kiosk host on its data folder; the same port keeps the page's origin, so its IndexedDB too. */
async function startKiosk(port = 0): Promise<RunningKioskHost> {
  return startKioskHost({
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
    journalFile: join(folder, JOURNAL_FILE),
    port,
  });
}

async function enterStaffMode(page: Page) {
  await page.getByRole('button', { name: '工作人员' }).click();
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '进入' }).click();
  await page.getByTestId('sync-status').waitFor();
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const seeded = await seedDemo(platform.database.pool, null);
  if (!seeded.kioskCredential) throw new Error('The demo seed did not create the kiosk.');
  credential = seeded.kioskCredential;
  await demoSessionsOpenNow(platform.database.pool);
  folder = await mkdtemp(join(tmpdir(), 'yx-offline-limit-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('a kiosk offline longer than its limit', () => {
  it('warns staff how long since the platform last answered, across a restart, and still checks people in', async () => {
    kiosk = await startKiosk();
    const port = Number(new URL(kiosk.url).port);
    const card = await demoCard(platform.database.pool);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const stored = (name: string) => page.waitForResponse((r) => r.url().includes(`/sync/${name}/pull?`) && r.url().includes('seq=') && r.ok());
    const synced = Promise.all(['issuer_keys', 'class_sessions'].map(stored));
    await page.goto(kiosk.url);
    await synced;

    // Online: the last contact is now, and no warning.
    await enterStaffMode(page);
    expect(await page.getByTestId('last-sync').textContent()).toContain('上次同步成功');
    expect(await page.getByTestId('offline-warning').count()).toBe(0);

    // The site loses its network; three weeks pass with the kiosk switched off and on again. The
    // host's kept contact is set back three weeks, as the calendar would have moved it.
    await platform.app.close();
    await kiosk.close();
    const lastContact = new Date(Date.now() - 21 * DAY - 3_600_000);
    await writeFile(join(folder, PLATFORM_CONTACT_FILE), JSON.stringify({ lastContactAt: lastContact.toISOString() }));
    kiosk = await startKiosk(port);
    await page.reload();

    // The learner-facing home says nothing of it.
    await page.getByRole('button', { name: '工作人员' }).waitFor();
    expect(await page.getByTestId('offline-warning').count()).toBe(0);

    await enterStaffMode(page);
    const warning = page.getByTestId('offline-warning');
    await warning.waitFor();
    // At the top of staff mode, seen without scrolling past the class list.
    const box = await warning.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(900);
    expect(await warning.getAttribute('data-days')).toBe('21');
    const text = await warning.textContent();
    expect(text).toContain('本机已有 21 天没有连上平台');
    expect(text).toContain('签到照常进行');
    expect(text).toContain('导出到U盘');
    // The date is the kept one, in the site's time, not "never".
    const siteDay = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(lastContact);
    expect(text).toContain(siteDay);
    expect(await page.getByTestId('last-sync').textContent()).toContain(siteDay);
    await expectAccessible(page);

    // Check-in never stops: the class opens and a card checks in, waiting to upload.
    const openButton = page.getByRole('button', { name: '开始签到' });
    if (await openButton.count()) await openButton.first().click();
    await page.getByRole('button', { name: '去签到页面' }).click();
    await page.getByTestId('scan-prompt').waitFor();
    await presentCardAsScanner(page, card.text);
    const result = page.getByTestId('checkin-result');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('checked-in');
    expect(await result.textContent()).toContain(card.name);
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('offline-warning').count()).toBe(0);
    await context.close();
  }, 240_000);
});
