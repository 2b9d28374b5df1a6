import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KIOSK_ID } from '../../sync/platform/demo-seed';
import { importRecordBundle } from '../../sync/platform/record-bundles';
import { openRecordBundle, recordBundleFileName, recordReceiptFileName, verifyBundleSignature } from '../../sync/protocol/record-bundle';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { TEST_STAFF_PIN } from '../support/kiosk';
import { expectAccessible } from '../support/browser';

let environment: DemoEnvironment;
let work: string;
let drive: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-e2e-usb-'));
  // The export folder stands in for the drive's mount point; the host reads it when it starts.
  drive = join(work, 'usb-stick');
  await mkdir(drive);
  process.env.YUEXUE_EXPORT_FOLDER = drive;
  environment = await startDemoEnvironment();
}, 180_000);

afterAll(async () => {
  await environment?.close();
  delete process.env.YUEXUE_EXPORT_FOLDER;
  if (work) await rm(work, { recursive: true, force: true });
});

describe('records by USB in staff mode', () => {
  it('exports a check-in made offline to the drive, says when it is safe to remove, and loads the receipt back', async () => {
    const context = await environment.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // The first sync registers the kiosk's bundle key; then the network goes away.
    const synced = page.waitForResponse((r) => r.url().includes('/sync/class_sessions/pull?') && r.url().includes('seq=') && r.ok());
    await page.goto(environment.kiosk.url);
    await synced;
    await expect.poll(async () => (await environment.platform.database.pool.query('select bundle_public_key from kiosks where id = $1', [DEMO_KIOSK_ID])).rows[0].bundle_public_key).toBeTruthy();
    await environment.platform.app.close();

    await page.getByRole('button', { name: '工作人员' }).click();
    for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
    await page.getByRole('button', { name: '进入' }).click();
    const session = page.getByTestId('staff-session').first();
    await session.getByRole('button', { name: '开始签到' }).click();
    await session.getByRole('button', { name: '无卡签到' }).click();
    for (const digit of '2026000101') await page.getByRole('button', { name: `数字 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expect.poll(() => page.getByTestId('manual-result').getAttribute('data-result')).toBe('checked-in');
    await page.getByRole('button', { name: '返回' }).click();

    await page.getByTestId('open-usb').click();
    // Picked from a list, never typed.
    await page.getByRole('button', { name: '导出文件夹：usb-stick' }).click();
    await expectAccessible(page);
    await page.getByTestId('usb-export').click();
    const done = page.getByTestId('usb-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain('可以安全拔出U盘');

    const file = new Uint8Array(await readFile(join(drive, recordBundleFileName(DEMO_KIOSK_ID))));
    const opened = openRecordBundle(file);
    const { rows } = await environment.platform.database.pool.query('select bundle_public_key from kiosks where id = $1', [DEMO_KIOSK_ID]);
    await verifyBundleSignature(opened, rows[0].bundle_public_key, 'the kiosk');
    expect(opened.body.records.attendance.map((a) => a.learnerId)).toEqual(['GD2026000101']);

    // At the platform, then back at the kiosk with the receipt.
    const imported = await importRecordBundle(environment.platform.database.pool, file);
    await writeFile(join(drive, recordReceiptFileName(DEMO_KIOSK_ID)), imported.receipt);
    await page.getByRole('button', { name: '重新查找' }).click();
    await page.getByRole('button', { name: '导出文件夹：usb-stick' }).click();
    await page.getByTestId('usb-receipt').click();
    const loaded = page.getByTestId('usb-receipt-loaded');
    await loaded.waitFor({ timeout: 30_000 });
    expect(await loaded.textContent()).toContain('已接收 1 条');
    await context.close();
  }, 180_000);
});
