import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../sync/platform/database';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { migrateDatabase } from '../../sync/platform/migrate';
import { fromBase64Url } from '../../sync/protocol/base64url';
import { encodeRecordBundle, generateBundleKeyPair, openRecordReceipt, recordBundleFileName, recordReceiptFileName } from '../../sync/protocol/record-bundle';
import { runAdminCli, type CliResult } from '../support/admin-cli';
import { demoAttendance } from '../support/attendance';
import { scratchDatabaseUrl } from '../support/platform';
import { backdateKioskEnrolment, recentClassSession } from '../support/trusted-sync';

let folder: string;
let usb: string;
let bundleFile: string;
let scratch: Awaited<ReturnType<typeof scratchDatabaseUrl>>;

/** `npm run platform:admin -- …` as an operator runs it: its own process, on DATABASE_URL or the data folder's PGlite. */
async function cli(...args: string[]): Promise<CliResult> {
  const env = { ...process.env, YUEXUE_DATA_DIR: folder, ...(scratch.url ? { DATABASE_URL: scratch.url } : {}) };
  return runAdminCli(args, env);
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-bundle-cli-'));
  usb = join(folder, 'usb');
  await mkdir(usb);
  scratch = await scratchDatabaseUrl();
  // The platform's database as the CLI will find it, with a kiosk that registered its bundle key.
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: scratch.url ? undefined : join(folder, 'platform-db') });
  const key = await generateBundleKeyPair();
  let records;
  try {
    await migrateDatabase(database.pool);
    await seedDemo(database.pool, null);
    await backdateKioskEnrolment(database.pool);
    const { id, during } = await recentClassSession(database.pool, DEMO_SITE_ID);
    await database.pool.query('update kiosks set bundle_public_key = $2 where id = $1', [DEMO_KIOSK_ID, key.publicKey]);
    records = { class_sessions: [], attendance: [demoAttendance(id, 'GD2026000101', { method: 'manual', deviceTime: during })], lesson_progress: [] };
  } finally {
    await database.close();
  }
  bundleFile = join(usb, recordBundleFileName(DEMO_KIOSK_ID));
  await writeFile(
    bundleFile,
    await encodeRecordBundle({ kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, bundleSeq: 1, createdAt: new Date().toISOString(), records }, fromBase64Url(key.secretKey)),
  );
}, 180_000);

afterAll(async () => {
  await scratch?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('platform:admin bundle import', () => {
  it('imports a bundle from the drive, writes the receipt beside it, says what was stored, and a second import changes nothing', async () => {
    const first = await cli('bundle', 'import', bundleFile);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Bundle 1 of kiosk ${DEMO_KIOSK_ID}: 1 record(s) imported (stored 1, held for review 0, refused 0)`);
    const receipt = openRecordReceipt(new Uint8Array(await readFile(join(usb, recordReceiptFileName(DEMO_KIOSK_ID)))));
    expect(receipt.body.records.attendance[0]).toMatchObject({ learnerId: 'GD2026000101', receivedAt: expect.any(String) });

    const again = await cli('bundle', 'import', bundleFile, '--receipt', join(folder, 'again.yxreceipt'));
    expect(again.code).toBe(0);
    const second = openRecordReceipt(new Uint8Array(await readFile(join(folder, 'again.yxreceipt'))));
    expect(second.body.records).toEqual(receipt.body.records);
  }, 180_000);

  it('refuses an altered bundle with a message the operator can act on', async () => {
    const bytes = await readFile(bundleFile);
    bytes[bytes.length - 5] = bytes[bytes.length - 5] === 0x65 ? 0x66 : 0x65;
    const altered = join(folder, 'altered.yxbundle');
    await writeFile(altered, bytes);
    const refused = await cli('bundle', 'import', altered);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Error: (The signature does not match|The record bundle is)/);
  }, 120_000);
});
