import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { importRecordBundle } from '../../sync/platform/record-bundles';
import { fromBase64Url } from '../../sync/protocol/base64url';
import { KioskHostRoutes, type JournalConfirmBody } from '../../sync/protocol/kiosk-host-api';
import { KioskUsbRoutes, type UsbExported, type UsbFolderListing, type UsbReceiptFile, type UsbRelayed } from '../../sync/protocol/kiosk-usb-api';
import {
  encodeRecordBundle,
  generateBundleKeyPair,
  openRecordBundle,
  openRecordReceipt,
  recordBundleFileName,
  recordReceiptFileName,
} from '../../sync/protocol/record-bundle';
import { applyReceipt, unacknowledgedRecords } from '../../renderer/staff/usb-records';
import { demoAttendance } from '../support/attendance';
import { staffHeaders, testSettings } from '../support/kiosk';
import { openNodeKiosk } from '../support/node-kiosk';
import { startTestPlatform } from '../support/platform';
import { recentClassSession, seedTwoSites } from '../support/trusted-sync';

/**
 * The village kiosk's whole round: records made offline leave on a drive through the host's
 * staff route, are imported on the platform, and the receipt brought back marks them received.
 */

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let host: RunningKioskHost;
let kiosk: Awaited<ReturnType<typeof openNodeKiosk>>;
let work: string;
let drive: string;
let staff: Record<string, string>;
let sessionId: string;
let during: string;

async function hostCall<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${host.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...staff, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function confirmWithHost(confirmed: JournalConfirmBody['confirmed']): Promise<void> {
  await fetch(`${host.url}${KioskHostRoutes.journalConfirmed}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmed }) });
}

async function syncOnce(): Promise<void> {
  const replication = kiosk.sync(host.url);
  await Promise.all(replication.states.map((s) => s.awaitInSync()));
  await replication.stop();
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const { credential } = await seedTwoSites(platform.database.pool);
  ({ id: sessionId, during } = await recentClassSession(platform.database.pool, DEMO_SITE_ID));
  work = await mkdtemp(join(tmpdir(), 'yx-usb-kiosk-'));
  const rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>kiosk</title></head><body></body></html>');
  // The drive roots are empty here; the export folder stands in for the drive.
  drive = join(work, 'usb-stick');
  await mkdir(drive);
  await mkdir(join(work, 'media'));
  host = await startKioskHost({
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential },
    journalFile: join(work, JOURNAL_FILE),
    rendererDir,
    exportFolders: [drive],
    removableDriveRoots: [join(work, 'media')],
  });
  staff = await staffHeaders(host.url);
  kiosk = await openNodeKiosk('usb-kiosk', 'memory');
}, 180_000);

afterAll(async () => {
  await kiosk?.close();
  await host?.close();
  await platform?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('records by USB, kiosk to platform and back', () => {
  it('registers the kiosk bundle key with its first sync', async () => {
    await syncOnce();
    const { rows } = await platform.database.pool.query('select bundle_public_key from kiosks where id = $1', [DEMO_KIOSK_ID]);
    const key = JSON.parse(await readFile(join(work, 'bundle-key.json'), 'utf8')) as { publicKey: string };
    expect(rows[0].bundle_public_key).toBe(key.publicKey);
  });

  it('exports the offline records, imports them on the platform, and the receipt loaded back marks them received', async () => {
    // Offline: two check-ins; one of them only the host journal still holds (the browser lost it).
    const kept = demoAttendance(sessionId, 'GD2026000101', { method: 'manual', deviceTime: during });
    const onlyJournaled = demoAttendance(sessionId, 'GD2026000102', { method: 'manual', deviceTime: during });
    await kiosk.db.attendance.insert(kept);
    const journaled: Partial<typeof onlyJournaled> = { ...onlyJournaled };
    delete journaled._deleted;
    expect((await fetch(`${host.url}${KioskHostRoutes.journal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'attendance', record: journaled }) })).status).toBe(201);

    const listing = await hostCall<UsbFolderListing>(KioskUsbRoutes.folders);
    expect(listing.body.folders).toEqual([{ path: drive, name: 'usb-stick', kind: 'folder', hasBundle: false, hasReceipt: false, otherBundles: 0 }]);
    // Staff pick from the list: a path the host did not list is refused.
    const elsewhere = await hostCall<{ message: string }>(KioskUsbRoutes.export, { folder: work, records: await unacknowledgedRecords(kiosk.db, DEMO_KIOSK_ID) });
    expect(elsewhere.status).toBe(404);
    expect(await readdir(work)).not.toContain(recordBundleFileName(DEMO_KIOSK_ID));

    const exported = await hostCall<UsbExported>(KioskUsbRoutes.export, { folder: drive, records: await unacknowledgedRecords(kiosk.db, DEMO_KIOSK_ID) });
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ records: 2, verified: true, bundleSeq: 1 });
    const file = new Uint8Array(await readFile(join(drive, recordBundleFileName(DEMO_KIOSK_ID))));
    expect(openRecordBundle(file).body.records.attendance.map((a) => a.id).sort()).toEqual([kept.id, onlyJournaled.id].sort());

    // On the platform (what `platform:admin -- bundle import` does).
    const imported = await importRecordBundle(platform.database.pool, file);
    await writeFile(join(drive, recordReceiptFileName(DEMO_KIOSK_ID)), imported.receipt);

    const receipt = await hostCall<UsbReceiptFile>(KioskUsbRoutes.receipt, { folder: drive });
    expect(receipt.status).toBe(200);
    expect(await applyReceipt(kiosk.db, receipt.body.text, DEMO_KIOSK_ID, confirmWithHost)).toEqual({ received: 2, held: 0, refused: 0 });
    for (const id of [kept.id, onlyJournaled.id]) {
      const local = await kiosk.db.attendance.findOne(id).exec();
      expect(local?.syncState).toBe('received');
      expect(local?.receivedAt).toBeDefined();
    }
    expect((await unacknowledgedRecords(kiosk.db, DEMO_KIOSK_ID)).attendance).toEqual([]);
    // The host journal lets go of them too: the next bundle is empty.
    const journal = (await (await fetch(`${host.url}${KioskHostRoutes.journal}`)).json()) as { entries: unknown[] };
    expect(journal.entries).toEqual([]);

    // The next sync pushes them again: the platform keeps one of each.
    await syncOnce();
    const { rows } = await platform.database.pool.query('select count(*)::int as n from attendance where id = any($1::uuid[])', [[kept.id, onlyJournaled.id]]);
    expect(rows[0].n).toBe(2);
  });

  it('refuses a receipt that was altered, and changes nothing', async () => {
    const late = demoAttendance(sessionId, 'GD2026000103', { method: 'manual', deviceTime: during });
    await kiosk.db.attendance.insert(late);
    await hostCall<UsbExported>(KioskUsbRoutes.export, { folder: drive, records: await unacknowledgedRecords(kiosk.db, DEMO_KIOSK_ID) });
    const imported = await importRecordBundle(platform.database.pool, new Uint8Array(await readFile(join(drive, recordBundleFileName(DEMO_KIOSK_ID)))));
    const text = new TextDecoder().decode(imported.receipt).replace('"receivedAt":"20', '"receivedAt":"21');
    await expect(applyReceipt(kiosk.db, text, DEMO_KIOSK_ID, confirmWithHost)).rejects.toMatchObject({ code: 'bad-signature' });
    expect((await kiosk.db.attendance.findOne(late.id).exec())?.syncState).toBe('waiting');
    expect(openRecordReceipt(imported.receipt).body.bundleSeq).toBe(2);
  });

  it('relays a bundle of another kiosk of its site from the drive, and writes the receipt back', async () => {
    const village = await generateBundleKeyPair();
    await platform.database.pool.query(`insert into kiosks (id, site_id, name, token_hash, bundle_public_key) values ('KIOSK-VILLAGE', $1, 'village', 'x', $2)`, [
      DEMO_SITE_ID,
      village.publicKey,
    ]);
    await platform.database.pool.query(`update kiosks set enrolled_at = '2026-01-01T00:00:00Z' where id = 'KIOSK-VILLAGE'`);
    const record = demoAttendance(sessionId, 'GD2026000104', { method: 'manual', deviceTime: during, kioskId: 'KIOSK-VILLAGE' });
    const bundle = await encodeRecordBundle(
      { kioskId: 'KIOSK-VILLAGE', siteId: DEMO_SITE_ID, bundleSeq: 7, createdAt: new Date().toISOString(), records: { class_sessions: [], attendance: [record], lesson_progress: [] } },
      fromBase64Url(village.secretKey),
    );
    await writeFile(join(drive, recordBundleFileName('KIOSK-VILLAGE')), bundle);
    const relayed = await hostCall<UsbRelayed>(KioskUsbRoutes.relay, { folder: drive });
    expect(relayed.status).toBe(200);
    expect(relayed.body.results).toEqual([{ file: join(drive, recordBundleFileName('KIOSK-VILLAGE')), kioskId: 'KIOSK-VILLAGE', outcome: 'imported', records: 1 }]);
    const receipt = openRecordReceipt(new Uint8Array(await readFile(join(drive, recordReceiptFileName('KIOSK-VILLAGE')))));
    expect(receipt.body).toMatchObject({ kioskId: 'KIOSK-VILLAGE', bundleSeq: 7 });
    expect(receipt.body.records.attendance[0]).toMatchObject({ id: record.id, receivedAt: expect.any(String) });
  });

  it('refuses staff actions without the staff token', async () => {
    const response = await fetch(`${host.url}${KioskUsbRoutes.folders}`);
    expect(response.status).toBe(401);
  });
});
