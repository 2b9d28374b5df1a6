import { createHash } from 'node:crypto';
import type { Agent as HttpsAgent } from 'node:https';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import type { JournalEntry } from '../../sync/protocol/kiosk-host-api';
import {
  KioskUsbRoutes,
  UsbExportBody,
  UsbExported,
  UsbFolderBody,
  UsbFolderListing,
  UsbReceiptFile,
  UsbRelayed,
  type UsbRelayResult,
} from '../../sync/protocol/kiosk-usb-api';
import {
  BUNDLE_KEY_HEADER,
  bundleRecordCount,
  encodeRecordBundle,
  MAX_BUNDLE_BYTES,
  openRecordReceipt,
  RECORD_BUNDLE_FILE_PATTERN,
  recordBundleFileName,
  recordReceiptFileName,
  type BundledRecords,
} from '../../sync/protocol/record-bundle';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import { writeFileAtomic } from './atomic-write';
import type { KioskBundleKey } from './bundle-key';
import type { KioskEnrolment } from './kiosk-config';
import { callPlatform } from './platform-tls';
import type { RecordJournal } from './record-journal';
import { listedFolder, listUsbFolders, type UsbFolderOptions } from './usb-folders';

export interface RecordBundleRouteOptions extends UsbFolderOptions {
  staffOnly: preHandlerAsyncHookHandler;
  enrolment: () => KioskEnrolment | null;
  journal: RecordJournal;
  bundleKey: KioskBundleKey;
  platformUrl: string;
  agent: HttpsAgent;
}

/** A bundle goes to the drive in chunks this size, so a drive pulled out fails the write at once. */
const CHUNK_BYTES = 256 * 1024;
const RELAY_TIMEOUT_MS = 120_000;

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes a file onto a drive whole or not at all (atomic-write.ts: a temporary file, flushed,
 * renamed over the old one), then reads it back: only a copy that reads back as written is
 * reported safe to remove. A drive pulled out mid-write leaves the previous bundle as it was.
 */
export async function writeToDrive(path: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(path, chunksOf(bytes), 0o600);
  const back = await readFile(path);
  if (sha256(back) !== sha256(bytes)) throw new Error(`${path} does not read back as written: the drive may be failing. Try another drive.`);
}

/**
 * The journal's records not in the renderer's list: a record the browser lost still leaves on the
 * drive. Records of the site made under an earlier enrolment name the kiosk in force, as the
 * journal's own listing does (record-journal.ts waitingFor): their ids never depend on the kiosk.
 */
function withJournal(records: BundledRecords, entries: JournalEntry[], kioskId: string): BundledRecords {
  const attendance = new Map(records.attendance.map((r) => [r.id, { ...r, kioskId }]));
  const progress = new Map(records.lesson_progress.map((r) => [r.id, { ...r, kioskId }]));
  for (const entry of entries) {
    if (entry.kind === 'attendance') {
      if (!attendance.has(entry.record.id)) attendance.set(entry.record.id, { ...entry.record, _deleted: false } as AttendanceRecord);
    } else {
      const known = progress.get(entry.record.id);
      // The later position of a lesson is the one to carry.
      if (!known || Date.parse(known.deviceTime) < Date.parse(entry.record.deviceTime)) progress.set(entry.record.id, { ...entry.record, _deleted: false } as LessonProgress);
    }
  }
  return { class_sessions: records.class_sessions, attendance: [...attendance.values()], lesson_progress: [...progress.values()] };
}

function problem(reply: FastifyReply, statusCode: number, message: string) {
  return reply.code(statusCode).send({ statusCode, error: 'Records by USB', message });
}

/**
 * Staff routes for records by USB (sync/protocol/kiosk-usb-api.ts): list drives and export
 * folders, export a signed bundle of every unacknowledged record, read a receipt back, and relay
 * bundles of other kiosks of the site found on a drive.
 */
export function recordBundleRoutes(options: RecordBundleRouteOptions): FastifyPluginAsync {
  const staff = { preHandler: options.staffOnly };
  return async (app) => {
    app.get(KioskUsbRoutes.folders, { ...staff, schema: { response: { 200: UsbFolderListing } } }, async () => ({
      folders: await listUsbFolders(options, options.enrolment()?.kioskId ?? null),
    }));

    app.post<{ Body: UsbExportBody }>(KioskUsbRoutes.export, { ...staff, bodyLimit: MAX_BUNDLE_BYTES, schema: { body: UsbExportBody, response: { 200: UsbExported } } }, async (request, reply) => {
      const enrolment = options.enrolment();
      if (!enrolment) return problem(reply, 409, 'This kiosk is not enrolled yet: it has no records to export.');
      const folder = await listedFolder(options, request.body.folder);
      if (!folder) return problem(reply, 404, 'That drive or folder is no longer there: it may have been removed. Pick it again from the list.');
      const { records: sent } = request.body;
      const foreign = [...sent.class_sessions, ...sent.attendance, ...sent.lesson_progress].find((r) => r.siteId !== enrolment.siteId);
      if (foreign) return problem(reply, 422, `Record ${foreign.id} is of site ${foreign.siteId}; this kiosk is at ${enrolment.siteId}.`);
      const records = withJournal(sent, options.journal.waitingFor(enrolment.kioskId, enrolment.siteId), enrolment.kioskId);
      const bundleSeq = await options.bundleKey.nextBundleSeq();
      const bytes = await encodeRecordBundle(
        { kioskId: enrolment.kioskId, siteId: enrolment.siteId, bundleSeq, createdAt: new Date().toISOString(), records },
        options.bundleKey.secretKeyBytes(),
      );
      const file = join(folder, recordBundleFileName(enrolment.kioskId));
      try {
        await writeToDrive(file, bytes);
      } catch (error) {
        return problem(reply, 507, `The bundle could not be written to ${folder} (${(error as Error).message}). Any earlier bundle on it is unchanged. Check the drive is in and not full, and try again.`);
      }
      request.log.info({ file, bundleSeq, records: bundleRecordCount(records) }, 'record bundle written');
      return { file, bundleSeq, records: bundleRecordCount(records), bytes: bytes.length, verified: true as const };
    });

    app.post<{ Body: UsbFolderBody }>(KioskUsbRoutes.receipt, { ...staff, schema: { body: UsbFolderBody, response: { 200: UsbReceiptFile } } }, async (request, reply) => {
      const enrolment = options.enrolment();
      if (!enrolment) return problem(reply, 409, 'This kiosk is not enrolled yet.');
      const folder = await listedFolder(options, request.body.folder);
      if (!folder) return problem(reply, 404, 'That drive or folder is no longer there: pick it again from the list.');
      const file = join(folder, recordReceiptFileName(enrolment.kioskId));
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) return problem(reply, 404, `There is no receipt for this kiosk on ${folder}: import the bundle on the platform first, then bring the drive back.`);
      if (text.length > MAX_BUNDLE_BYTES) return problem(reply, 413, `${file} is too large to be a receipt.`);
      return { file, text };
    });

    app.post<{ Body: UsbFolderBody }>(KioskUsbRoutes.relay, { ...staff, schema: { body: UsbFolderBody, response: { 200: UsbRelayed } } }, async (request, reply) => {
      const enrolment = options.enrolment();
      if (!enrolment) return problem(reply, 409, 'This kiosk is not enrolled yet: it cannot carry bundles to the platform.');
      const folder = await listedFolder(options, request.body.folder);
      if (!folder) return problem(reply, 404, 'That drive or folder is no longer there: pick it again from the list.');
      const names = (await readdir(folder)).filter((n) => RECORD_BUNDLE_FILE_PATTERN.test(n) && n !== recordBundleFileName(enrolment.kioskId));
      const results: UsbRelayResult[] = [];
      for (const name of names) results.push(await relayOne(options, enrolment, folder, name));
      return { results };
    });
  };
}

async function relayOne(options: RecordBundleRouteOptions, enrolment: KioskEnrolment, folder: string, name: string): Promise<UsbRelayResult> {
  const kioskId = RECORD_BUNDLE_FILE_PATTERN.exec(name)?.[1] ?? '';
  const file = join(folder, name);
  let answer;
  try {
    answer = await callPlatform(
      `${options.platformUrl.replace(/\/+$/, '')}/sync/record-bundles`,
      { method: 'POST', file: new Uint8Array(await readFile(file)), headers: { authorization: `Bearer ${enrolment.credential}`, [BUNDLE_KEY_HEADER]: options.bundleKey.publicKey } },
      options.agent,
      AbortSignal.timeout(RELAY_TIMEOUT_MS),
    );
  } catch (error) {
    return { file, kioskId, outcome: 'offline', message: `The platform cannot be reached: ${(error as Error).message}` };
  }
  if (answer.status !== 200) {
    let message = `The platform answered ${answer.status}.`;
    try {
      message = (JSON.parse(answer.text) as { message?: string }).message ?? message;
    } catch {
      // Not JSON: keep the status.
    }
    return { file, kioskId, outcome: answer.status >= 500 ? 'offline' : 'refused', message };
  }
  const receipt = openRecordReceipt(new Uint8Array(answer.bytes));
  await writeToDrive(join(folder, recordReceiptFileName(receipt.body.kioskId)), new Uint8Array(answer.bytes));
  return { file, kioskId, outcome: 'imported', records: bundleRecordCount(receipt.body.records) };
}
