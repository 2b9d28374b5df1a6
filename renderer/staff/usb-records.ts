import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSession } from '../../sync/protocol/class-session';
import { KioskHostRoutes, type JournalConfirmBody } from '../../sync/protocol/kiosk-host-api';
import { KioskUsbRoutes, type UsbExported, type UsbFolder, type UsbReceiptFile, type UsbRelayResult } from '../../sync/protocol/kiosk-usb-api';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import { BundleRefused, openRecordReceipt, recordSyncSummary, verifyBundleSignature, type BundledRecords } from '../../sync/protocol/record-bundle';
import { classSessionConflictHandler, lessonProgressConflictHandler } from '../db/conflict-handlers';
import type { KioskDatabase } from '../db/kiosk-database';
import { staffFetch } from './staff-session';

/**
 * Staff mode's records by USB (docs/check-in-and-sync.md, "Records by USB"): what goes into a
 * bundle, and what a receipt brought back does to the kiosk's records.
 */

/** A record as the kiosk pushes it: without the kiosk's own index of the platform's answer. */
function wire<T extends object>(doc: T): T {
  const copy = { ...doc, _deleted: false } as T & { syncState?: unknown };
  delete copy.syncState;
  return copy;
}

/**
 * Every record the platform has not acknowledged: check-ins and lesson progress still waiting, and
 * classes this kiosk made that the platform has not stored. (A status change staff made to a
 * platform's class is not carried: it earns nothing, and the next sync takes it.)
 */
export async function unacknowledgedRecords(db: KioskDatabase, kioskId: string): Promise<BundledRecords> {
  const waiting = { selector: { syncState: 'waiting' as const } };
  const [attendance, progress, sessions] = await Promise.all([
    db.attendance.find(waiting).exec(),
    db.lesson_progress.find(waiting).exec(),
    db.class_sessions.find({ selector: { proposedBy: kioskId } }).exec(),
  ]);
  return {
    class_sessions: sessions
      .map((d) => d.toMutableJSON(false))
      .filter((s) => s.serverSeq === undefined && s.refusal === undefined)
      .map((s) => wire(s) as ClassSession),
    attendance: attendance.map((d) => wire(d.toMutableJSON(false)) as AttendanceRecord),
    lesson_progress: progress.map((d) => wire(d.toMutableJSON(false)) as LessonProgress),
  };
}

export class UsbActionFailed extends Error {}

async function hostAnswer<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  const body = (await answer.json().catch(() => ({}))) as T & { message?: string };
  if (!answer.ok) throw new UsbActionFailed(body.message ?? `HTTP ${answer.status}`);
  return body;
}

const json = { 'content-type': 'application/json' };

export async function listUsbFolders(): Promise<UsbFolder[]> {
  return (await hostAnswer<{ folders: UsbFolder[] }>(staffFetch(KioskUsbRoutes.folders))).folders;
}

export function exportBundle(folder: string, records: BundledRecords): Promise<UsbExported> {
  return hostAnswer<UsbExported>(staffFetch(KioskUsbRoutes.export, { method: 'POST', headers: json, body: JSON.stringify({ folder, records }) }));
}

export async function relayBundles(folder: string): Promise<UsbRelayResult[]> {
  return (await hostAnswer<{ results: UsbRelayResult[] }>(staffFetch(KioskUsbRoutes.relay, { method: 'POST', headers: json, body: JSON.stringify({ folder }) }))).results;
}

export function readReceipt(folder: string): Promise<UsbReceiptFile> {
  return hostAnswer<UsbReceiptFile>(staffFetch(KioskUsbRoutes.receipt, { method: 'POST', headers: json, body: JSON.stringify({ folder }) }));
}

export type ReceiptOutcome = Record<'received' | 'held' | 'refused', number>;

/**
 * Takes a receipt's answers as the kiosk takes a push's: checked first against the platform's
 * issuer keys the kiosk pulled (a receipt nobody signed, or for another kiosk, changes nothing),
 * then each answer through the same conflict handlers as a sync answer, so a lesson position
 * that moved on since the export still waits, and the host journal lets go of what the platform
 * now holds. Throws BundleRefused with a reason staff can act on.
 */
export async function applyReceipt(db: KioskDatabase, receiptText: string, kioskId: string, confirm = confirmWithHost): Promise<ReceiptOutcome> {
  const opened = openRecordReceipt(new TextEncoder().encode(receiptText));
  const { body } = opened;
  if (body.kioskId !== kioskId) throw new BundleRefused('wrong-kind', `This receipt is for kiosk ${body.kioskId}, not this kiosk (${kioskId}).`);
  const key = await db.issuer_keys.findOne(body.issuerKeyId).exec();
  if (!key || key.status === 'retired') {
    throw new BundleRefused('bad-signature', `The receipt is signed with key ${body.issuerKeyId}, which this kiosk does not know yet: sync once, or check the receipt came from your platform.`);
  }
  await verifyBundleSignature(opened, key.publicKey, 'the platform');
  const { attendance, lesson_progress, class_sessions } = body.records;
  for (const answer of class_sessions) {
    const local = await db.class_sessions.findOne(answer.id).exec();
    const resolved = local ? await classSessionConflictHandler.resolve({ newDocumentState: local.toMutableJSON(false) as ClassSession & { _deleted: boolean }, realMasterState: answer as ClassSession & { _deleted: boolean } }, 'usb-receipt') : answer;
    await db.class_sessions.upsert(withoutDeleted(resolved));
  }
  await db.attendance.bulkUpsert(attendance.map(withoutDeleted));
  for (const answer of lesson_progress) {
    const local = await db.lesson_progress.findOne(answer.id).exec();
    const resolved = local ? await lessonProgressConflictHandler.resolve({ newDocumentState: local.toMutableJSON(false) as never, realMasterState: answer as never }, 'usb-receipt') : answer;
    await db.lesson_progress.upsert(withoutDeleted(resolved as LessonProgress));
  }
  const stored = [...attendance, ...lesson_progress].filter((r) => r.receivedAt !== undefined && r.refusal === undefined);
  await confirm(stored.map((r) => ({ id: r.id, deviceTime: r.deviceTime })));
  return recordSyncSummary(body.records);
}

function withoutDeleted<T extends object>(doc: T): Omit<T, '_deleted'> {
  const copy = { ...doc } as T & { _deleted?: boolean };
  delete copy._deleted;
  return copy;
}

/** Tells the host's journal which records the platform now holds (in the journal route's batch size). */
async function confirmWithHost(confirmed: JournalConfirmBody['confirmed']): Promise<void> {
  for (let i = 0; i < confirmed.length; i += 1000) {
    await fetch(KioskHostRoutes.journalConfirmed, { method: 'POST', headers: json, body: JSON.stringify({ confirmed: confirmed.slice(i, i + 1000) } satisfies JournalConfirmBody) });
  }
}
