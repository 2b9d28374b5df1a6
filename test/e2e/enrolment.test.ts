import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { expectAccessible, launchChromium, presentCardAsScanner } from '../support/browser';
import { httpCall } from '../support/http';
import { startUnenrolledTestKioskHost } from '../support/kiosk';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { demoAttendance } from '../support/attendance';
import { demoCard, startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
let work: string;
const hosts: RunningKioskHost[] = [];
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);

async function unenrolledKiosk(journalLines = ''): Promise<{ host: RunningKioskHost; folder: string }> {
  const folder = await mkdtemp(join(work, 'kiosk-'));
  if (journalLines) await writeFile(join(folder, JOURNAL_FILE), journalLines);
  const host = await startUnenrolledTestKioskHost(platform.url, folder);
  hosts.push(host);
  return { host, folder };
}

async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Reads the QR code the way the admin's phone does: from the pixels on screen. */
async function qrOnScreen(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId('enrol-qr').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** "Enrolled to site X", then the kiosk reloads into its normal home screen. */
async function expectEnrolledAndHome(page: Page) {
  const enrolled = page.getByTestId('enrolled');
  await enrolled.waitFor({ timeout: 30_000 });
  expect(await enrolled.textContent()).toContain(`已注册到学习点 ${DEMO_SITE_ID}`);
  await expectAccessible(page);
  await page.getByRole('heading', { name: '粤学终端' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: '上课签到' }).waitFor();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-e2e-enrol-'));
  platform = await startTestPlatform();
  await seedDemo(platform.database.pool, null);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((host) => host.close()));
  await platform?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('enrolling a kiosk from its own screen', () => {
  it('shows its enrolment QR and code, and opens the kiosk once an admin approves', async () => {
    const { host, folder } = await unenrolledKiosk();
    const page = await openPage(host.url);
    await page.getByRole('heading', { name: '本终端尚未注册' }).waitFor();
    const codeText = page.getByTestId('user-code');
    await expect.poll(() => codeText.textContent(), { timeout: 15_000 }).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const userCode = (await codeText.textContent())!;
    const qr = page.getByTestId('enrol-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('alt')).toContain('注册二维码');
    expect(await qrOnScreen(page)).toBe(`${platform.url}/enrol/approve?code=${userCode}`);
    expect(await page.getByTestId('enrol-status').getAttribute('data-status')).toBe('waiting');
    await expectAccessible(page);

    expect((await admin('POST', '/admin/enrolment-requests/approve', { userCode, siteId: DEMO_SITE_ID })).status).toBe(200);
    await expectEnrolledAndHome(page);
    expect(existsSync(join(folder, 'enrolment.json'))).toBe(true);
    await page.context().close();
  });

  it('enrols with the platform enrolment code presented to the scanner, and says when a code is wrong', async () => {
    // This kiosk was enrolled before and left a check-in the platform never confirmed.
    const { _deleted, ...waiting } = demoAttendance('1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11', 'GD2026000101');
    expect(_deleted).toBe(false);
    const { host } = await unenrolledKiosk(`${JSON.stringify({ at: '2026-11-23T06:10:00.000Z', entry: { kind: 'attendance', record: waiting } })}\n`);
    const page = await openPage(host.url);
    await page.getByTestId('enrol-status').waitFor();
    const warning = page.getByTestId('enrol-waiting-records');
    await expect.poll(() => warning.getAttribute('data-count')).toBe('1');
    expect(await warning.textContent()).toBe('本终端之前的 1 条记录还没有传到平台。记录已妥善保存，本终端重新注册到同一站点后会自动发送。');

    // A learner card is not an enrolment code: nothing is sent to the platform.
    await presentCardAsScanner(page, (await demoCard(platform.database.pool)).text);
    const problem = page.getByTestId('enrol-problem');
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('not-a-code');
    await presentCardAsScanner(page, 'YXENROL:NOSUCHCODE123');
    await expect.poll(() => problem.getAttribute('data-problem')).toBe('unknown');
    expect(await problem.textContent()).toContain('平台不认识这个注册码');
    await expectAccessible(page);

    const { code } = (await admin('POST', '/admin/enrolment-codes', { siteId: DEMO_SITE_ID })).body as { code: string };
    await presentCardAsScanner(page, `YXENROL:${code}`);
    await expectEnrolledAndHome(page);
    await page.context().close();
  });
});
