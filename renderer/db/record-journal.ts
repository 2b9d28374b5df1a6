import {
  KioskHostRoutes,
  type JournalConfirmBody,
  type JournalEntry,
  type JournalListing,
} from '../../sync/protocol/kiosk-host-api';
import type { KioskDatabase } from './kiosk-database';

/**
 * The renderer's side of the host's record journal (electron/host/record-journal.ts): every
 * record the kiosk creates is handed to the host, which flushes it to disk, before the learner
 * is told it is recorded; at start, whatever the journal holds that IndexedDB lost (a cleared
 * or broken browser profile, a re-enrolment under a new kiosk id) is put back, and replication
 * pushes it like any new record. The platform keeps one of each record id, so a record put back
 * that it already had changes nothing there.
 */
export type JournalWriter = (entry: JournalEntry) => Promise<void>;

async function writeToHost(entry: JournalEntry): Promise<void> {
  const response = await fetch(KioskHostRoutes.journal, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
  if (response.status !== 201) throw new Error(`The kiosk host did not keep the record (HTTP ${response.status}).`);
}

let writer: JournalWriter = writeToHost;

/** Resolves once the host has the record on disk; throws when it does not. */
export function journalRecord(entry: JournalEntry): Promise<void> {
  return writer(entry);
}

/** Node tests, which have no kiosk host, watch the journal through this. */
export function setJournalWriter(next: JournalWriter): void {
  writer = next;
}

function isConflict(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'CONFLICT';
}

/**
 * Puts back what the journal has and IndexedDB lacks (or holds an older state of), and tells the
 * host which journaled records the platform has confirmed (their receivedAt came back), so the
 * journal stops holding them. Returns how many records were put back.
 */
export async function reconcileWithJournal(db: KioskDatabase): Promise<number> {
  const response = await fetch(KioskHostRoutes.journal);
  if (!response.ok) throw new Error(`The kiosk host did not give its journal (HTTP ${response.status}).`);
  const { entries } = (await response.json()) as JournalListing;
  const confirmed: JournalConfirmBody['confirmed'] = [];
  let restored = 0;
  for (const entry of entries) {
    const collection = entry.kind === 'attendance' ? db.attendance : db.lesson_progress;
    const local = (await collection.findOne(entry.record.id).exec()) as { deviceTime: string; receivedAt?: string } | null;
    const journaledAt = Date.parse(entry.record.deviceTime);
    if (local && Date.parse(local.deviceTime) >= journaledAt) {
      if (local.receivedAt) confirmed.push({ id: entry.record.id, deviceTime: local.deviceTime });
      continue;
    }
    try {
      if (entry.kind === 'attendance') await db.attendance.insert(entry.record);
      else await db.lesson_progress.upsert(entry.record);
      restored += 1;
    } catch (error) {
      // Written meanwhile (a check-in racing the start): IndexedDB has it, which is all we want.
      if (!isConflict(error)) throw error;
    }
  }
  if (confirmed.length > 0) {
    await fetch(KioskHostRoutes.journalConfirmed, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirmed } satisfies JournalConfirmBody),
    });
  }
  return restored;
}
