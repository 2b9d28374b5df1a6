/**
 * `npm run bench -- bundle [--records 10000]`: records by USB. A kiosk holds N check-ins the
 * platform has not acknowledged (RxDB memory storage, test/support/node-kiosk.ts); staff export
 * them through the real kiosk host's staff route to a folder (renderer query, signing, atomic write
 * and read-back), and the platform imports the file through the push handlers (PGlite, or
 * PostgreSQL when DATABASE_URL is set: a scratch database, dropped afterwards), then imports it
 * again (a replay). Prints {"bench":"bundle","records":N,"bundle_export_ms":x,"bundle_bytes":x,
 * "bundle_import_ms":x,"bundle_import_records_per_s":x,"bundle_replay_ms":x,...}.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKioskHost } from '../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../electron/host/record-journal';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../sync/platform/demo-seed';
import { importRecordBundle } from '../sync/platform/record-bundles';
import { KioskUsbRoutes, type UsbExported } from '../sync/protocol/kiosk-usb-api';
import { recordBundleFileName } from '../sync/protocol/record-bundle';
import { unacknowledgedRecords } from '../renderer/staff/usb-records';
import { staffHeaders, testSettings } from '../test/support/kiosk';
import { openNodeKiosk } from '../test/support/node-kiosk';
import { startTestPlatform } from '../test/support/platform';
import { seedOfflineCheckIns } from './offline-check-ins';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { records: { type: 'string', default: '10000' } } });
  const records = Number(values.records);
  const platform = await startTestPlatform();
  const pool = platform.database.pool;
  const { kioskCredential, checkIns } = await seedOfflineCheckIns(pool, records, 'village class');
  const work = await mkdtemp(join(tmpdir(), 'yx-bench-bundle-'));
  const rendererDir = join(work, 'renderer');
  const drive = join(work, 'usb');
  await mkdir(rendererDir);
  await mkdir(drive);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>');
  const host = await startKioskHost({
    settings: await testSettings(platform.url),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential },
    journalFile: join(work, JOURNAL_FILE),
    rendererDir,
    exportFolders: [drive],
    removableDriveRoots: [],
  });
  const kiosk = await openNodeKiosk('bench-bundle', 'memory');
  try {
    // One relayed sync request registers the kiosk's bundle key, as any sync does.
    await fetch(`${host.url}/sync/issuer_keys/pull`);
    await kiosk.db.attendance.bulkInsert(checkIns);
    const staff = await staffHeaders(host.url);

    const exportStarted = performance.now();
    const bundled = await unacknowledgedRecords(kiosk.db, DEMO_KIOSK_ID);
    const response = await fetch(`${host.url}${KioskUsbRoutes.export}`, {
      method: 'POST',
      headers: { ...staff, 'content-type': 'application/json' },
      body: JSON.stringify({ folder: drive, records: bundled }),
    });
    if (!response.ok) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    const exported = (await response.json()) as UsbExported;
    const bundle_export_ms = Math.round(performance.now() - exportStarted);

    const file = new Uint8Array(await readFile(join(drive, recordBundleFileName(DEMO_KIOSK_ID))));
    const importStarted = performance.now();
    const imported = await importRecordBundle(pool, file);
    const bundle_import_ms = Math.round(performance.now() - importStarted);
    const replayStarted = performance.now();
    await importRecordBundle(pool, file);
    const bundle_replay_ms = Math.round(performance.now() - replayStarted);
    const { rows } = await pool.query<{ stored: string; ledger: string }>(
      `select (select count(*) from attendance where kiosk_id = $1) as stored, (select count(*) from credit_ledger where source_type = 'attendance') as ledger`,
      [DEMO_KIOSK_ID],
    );
    console.log(
      JSON.stringify({
        bench: 'bundle',
        database: platform.databaseUrl ? 'postgresql' : 'pglite',
        records: exported.records,
        bundle_export_ms,
        bundle_bytes: file.length,
        receipt_bytes: imported.receipt.length,
        bundle_import_ms,
        bundle_import_records_per_s: Math.round((imported.recordCount / bundle_import_ms) * 1000),
        bundle_replay_ms,
        stored_on_platform: Number(rows[0]!.stored),
        ledger_entries: Number(rows[0]!.ledger),
      }),
    );
  } finally {
    await kiosk.close();
    await host.close();
    await platform.close();
    await rm(work, { recursive: true, force: true });
  }
}
