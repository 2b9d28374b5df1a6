import type pg from 'pg';
import { MAX_PUSH_ROWS } from '../protocol/replication';
import {
  bundleBodySha256,
  bundleRecordCount,
  BundleRefused,
  encodeRecordReceipt,
  openRecordBundle,
  verifyBundleSignature,
  type BundledRecords,
  type ReceiptRecords,
  type RecordBundleBody,
} from '../protocol/record-bundle';
import { attendanceCollection } from './collections/attendance';
import { classSessionCollection } from './collections/class-sessions';
import { lessonProgressCollection } from './collections/lesson-progress';
import { SyncRejection, type PlatformCollection, type PushRow } from './collections/platform-collection';
import { withSyncWrite } from './database';
import { activeIssuerSigningKey } from './issuer-keys';
import type { AuthenticatedKiosk } from './kiosk-auth';

/**
 * Imports a kiosk's record bundle (sync/protocol/record-bundle.ts): checks it is whole and signed
 * by the kiosk it names (registered key, kiosk active), that every record is of that kiosk's site
 * (and, when another kiosk relays it, that the relay is of the same site), then hands the records
 * to the push handlers of their collections, exactly as a push would, in one sync transaction: a
 * bundle is stored whole or not at all. Replays change nothing the push path would not: attendance
 * is kept once by id, progress only moves forward, a session's status only with a higher version.
 * The receipt lists the platform's answer for every record, signed with the active issuer key.
 */

export interface BundleImport {
  kioskId: string;
  siteId: string;
  bundleSeq: number;
  recordCount: number;
  /** The receipt file to hand back to the kiosk. */
  receipt: Uint8Array;
  receiptRecords: ReceiptRecords;
}

/** 'admin' for the CLI and admin API; a relaying kiosk for the kiosk route. */
export type BundleCarrier = { via: 'admin' } | { via: 'kiosk'; kiosk: AuthenticatedKiosk };

interface KioskKeyRow {
  site_id: string;
  status: string;
  bundle_public_key: string | null;
}

async function signerOf(pool: pg.Pool, body: RecordBundleBody): Promise<AuthenticatedKiosk & { publicKey: string }> {
  const { rows } = await pool.query<KioskKeyRow>('select site_id, status, bundle_public_key from kiosks where id = $1', [body.kioskId]);
  const row = rows[0];
  if (!row) throw new BundleRefused('unknown-kiosk', `Kiosk ${body.kioskId} is not enrolled on this platform: the bundle cannot be imported here.`);
  if (row.status !== 'active') throw new BundleRefused('revoked-kiosk', `Kiosk ${body.kioskId} has been revoked: its bundles are not accepted.`);
  if (!row.bundle_public_key) {
    throw new BundleRefused('no-key', `Kiosk ${body.kioskId} has not registered its bundle key yet: it was enrolled before bundles existed and registers its key on its next sync.`);
  }
  return { id: body.kioskId, siteId: row.site_id, publicKey: row.bundle_public_key };
}

function checkScope(body: RecordBundleBody, kiosk: AuthenticatedKiosk, carrier: BundleCarrier): void {
  if (carrier.via === 'kiosk' && carrier.kiosk.siteId !== kiosk.siteId) {
    throw new BundleRefused('wrong-site', `This bundle is from kiosk ${kiosk.id} of site ${kiosk.siteId}; a kiosk of site ${carrier.kiosk.siteId} cannot relay it.`);
  }
  if (body.siteId !== kiosk.siteId) throw new BundleRefused('wrong-site', `The bundle names site ${body.siteId}; kiosk ${kiosk.id} is at site ${kiosk.siteId}.`);
  const { class_sessions, attendance, lesson_progress } = body.records;
  for (const record of [...class_sessions, ...attendance, ...lesson_progress]) {
    if (record.siteId !== kiosk.siteId) {
      throw new BundleRefused('wrong-site', `Record ${record.id} in the bundle is of site ${record.siteId}; kiosk ${kiosk.id} is at site ${kiosk.siteId}. Nothing was imported.`);
    }
  }
}

async function pushInBatches<Doc, Answer>(client: pg.PoolClient, kiosk: AuthenticatedKiosk, collection: PlatformCollection<Doc>, docs: Doc[]): Promise<Answer[]> {
  const push = collection.push;
  if (!push) throw new Error('This collection takes no pushes.');
  const answers: Answer[] = [];
  // The push handlers are written for a push's size: the bundle goes through them a push at a time.
  for (let i = 0; i < docs.length; i += MAX_PUSH_ROWS) {
    const rows: PushRow<Doc>[] = docs.slice(i, i + MAX_PUSH_ROWS).map((doc) => ({ newDocumentState: doc }));
    answers.push(...((await push(client, kiosk, rows)) as unknown as Answer[]));
  }
  return answers;
}

/** Stores the bundle's records through the push handlers; sessions first, so check-ins into a proposed class find it. */
async function storeRecords(client: pg.PoolClient, kiosk: AuthenticatedKiosk, records: BundledRecords): Promise<ReceiptRecords> {
  return {
    class_sessions: await pushInBatches(client, kiosk, classSessionCollection, records.class_sessions),
    attendance: await pushInBatches(client, kiosk, attendanceCollection, records.attendance),
    lesson_progress: await pushInBatches(client, kiosk, lessonProgressCollection, records.lesson_progress),
  };
}

/** Verifies and imports one bundle file; throws BundleRefused (nothing stored) when it cannot be taken. */
export async function importRecordBundle(pool: pg.Pool, file: Uint8Array, carrier: BundleCarrier = { via: 'admin' }): Promise<BundleImport> {
  const opened = openRecordBundle(file);
  const { body } = opened;
  const kiosk = await signerOf(pool, body);
  await verifyBundleSignature(opened, kiosk.publicKey, `kiosk ${kiosk.id}`);
  const signer = { id: kiosk.id, siteId: kiosk.siteId };
  checkScope(body, signer, carrier);
  const bundleSha256 = await bundleBodySha256(opened.bodyBytes);
  const recordCount = bundleRecordCount(body.records);
  const { records, issuerKey, importedAt } = await withSyncWrite(pool, async (client) => {
    let stored: ReceiptRecords;
    try {
      stored = await storeRecords(client, signer, body.records);
    } catch (error) {
      // The push path refuses a push whole when a record names another kiosk: so is the bundle.
      if (error instanceof SyncRejection) throw new BundleRefused('wrong-site', `${error.message} Nothing was imported.`);
      throw error;
    }
    await client.query(
      'insert into record_bundle_imports (kiosk_id, bundle_seq, bundle_sha256, record_count, imported_via) values ($1, $2, $3, $4, $5)',
      [signer.id, body.bundleSeq, bundleSha256, recordCount, carrier.via === 'admin' ? 'admin' : carrier.kiosk.id],
    );
    const { rows } = await client.query<{ now: Date }>('select now() as now');
    return { records: stored, issuerKey: await activeIssuerSigningKey(client), importedAt: (rows[0] as { now: Date }).now };
  });
  const receipt = await encodeRecordReceipt(
    {
      kioskId: signer.id,
      siteId: signer.siteId,
      bundleSeq: body.bundleSeq,
      bundleSha256,
      importedAt: importedAt.toISOString(),
      issuerKeyId: issuerKey.id,
      records,
    },
    issuerKey.secretKey,
  );
  return { kioskId: signer.id, siteId: signer.siteId, bundleSeq: body.bundleSeq, recordCount, receipt, receiptRecords: records };
}

/**
 * Registers the bundle key a kiosk host sends with its syncs (BUNDLE_KEY_HEADER). The first key
 * wins: a later, different key is ignored (and logged by the caller), so a leaked credential
 * cannot replace the key that vouches for a kiosk's bundles.
 */
export async function registerBundleKey(pool: pg.Pool, kioskId: string, publicKey: string): Promise<'registered' | 'same' | 'different'> {
  const { rowCount } = await pool.query(
    'update kiosks set bundle_public_key = $2, bundle_key_registered_at = now() where id = $1 and bundle_public_key is null',
    [kioskId, publicKey],
  );
  if (rowCount) return 'registered';
  const { rows } = await pool.query<{ bundle_public_key: string | null }>('select bundle_public_key from kiosks where id = $1', [kioskId]);
  return rows[0]?.bundle_public_key === publicKey ? 'same' : 'different';
}
