import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/host/atomic-write';
import { KioskBundleKey } from '../../electron/host/bundle-key';
import { writeToDrive } from '../../electron/host/record-bundle-routes';
import { encodeRecordBundle, openRecordBundle, recordBundleFileName, verifyBundleSignature } from '../../sync/protocol/record-bundle';

let folder: string;
let drive: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-kiosk-data-'));
  drive = await mkdtemp(join(tmpdir(), 'yx-usb-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
  await rm(drive, { recursive: true, force: true });
});

async function bundleOf(key: KioskBundleKey, learners: number): Promise<Uint8Array> {
  const attendance = Array.from({ length: learners }, (_, i) => ({
    id: crypto.randomUUID(),
    classSessionId: crypto.randomUUID(),
    learnerId: `GD${i}`,
    siteId: 'SITE-1',
    kioskId: 'KIOSK-1',
    method: 'manual' as const,
    onRoster: true,
    deviceTime: '2026-11-20T06:00:00.000Z',
    _deleted: false,
  }));
  return encodeRecordBundle(
    { kioskId: 'KIOSK-1', siteId: 'SITE-1', bundleSeq: await key.nextBundleSeq(), createdAt: new Date().toISOString(), records: { class_sessions: [], attendance, lesson_progress: [] } },
    key.secretKeyBytes(),
  );
}

describe('writing a record bundle to a drive', () => {
  it('keeps the kiosk key across restarts and numbers bundles on from the last one', async () => {
    const key = await KioskBundleKey.open(folder);
    expect([await key.nextBundleSeq(), await key.nextBundleSeq()]).toEqual([1, 2]);
    const again = await KioskBundleKey.open(folder);
    expect(again.publicKey).toBe(key.publicKey);
    expect(await again.nextBundleSeq()).toBe(3);
  }, 30_000);

  it('leaves the previous bundle whole and valid when the drive goes away mid-write, and no half-written file', async () => {
    const key = await KioskBundleKey.open(folder);
    const path = join(drive, recordBundleFileName('KIOSK-1'));
    const first = await bundleOf(key, 10);
    await writeToDrive(path, first);
    const second = await bundleOf(key, 3000);
    expect(second.length).toBeGreaterThan(300_000);
    // The drive is pulled out after the first chunk of the new bundle reached it.
    async function* pulledOut(): AsyncGenerator<Uint8Array> {
      yield second.subarray(0, 100_000);
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    }
    await expect(writeFileAtomic(path, pulledOut())).rejects.toThrow(/EIO/);
    expect(await readdir(drive)).toEqual([recordBundleFileName('KIOSK-1')]);
    const onDrive = new Uint8Array(await readFile(path));
    expect(Buffer.compare(onDrive, first)).toBe(0);
    const opened = openRecordBundle(onDrive);
    await verifyBundleSignature(opened, key.publicKey, 'kiosk KIOSK-1');
    expect(opened.body.bundleSeq).toBe(1);
    // The next export replaces it whole.
    await writeToDrive(path, second);
    expect(openRecordBundle(new Uint8Array(await readFile(path))).body.records.attendance).toHaveLength(3000);
    expect(await readdir(drive)).toEqual([recordBundleFileName('KIOSK-1')]);
  }, 30_000);
});
