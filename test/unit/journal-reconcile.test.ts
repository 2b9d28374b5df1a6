import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { reconcileWithJournal } from '../../renderer/db/record-journal';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import { lessonProgressId } from '../../sync/protocol/lesson-progress';
import type { JournalConfirmBody, JournalEntry } from '../../sync/protocol/kiosk-host-api';

const SESSION = '1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11';
const kiosk = { kioskId: 'KIOSK-1', siteId: 'SITE-1' };
let db: KioskDatabase;
let confirmedByHost: JournalConfirmBody['confirmed'];

function checkIn(learnerId: string): Extract<JournalEntry, { kind: 'attendance' }> {
  return {
    kind: 'attendance',
    record: { id: attendanceRecordId(SESSION, learnerId), classSessionId: SESSION, learnerId, ...kiosk, method: 'scanner', onRoster: true, deviceTime: '2026-11-23T06:10:00.000Z' },
  };
}

function position(positionSeconds: number, deviceTime: string): Extract<JournalEntry, { kind: 'lesson_progress' }> {
  return {
    kind: 'lesson_progress',
    record: { id: lessonProgressId('GD1', 'c', 'l'), learnerId: 'GD1', courseId: 'c', lessonId: 'l', ...kiosk, positionSeconds, durationSeconds: 100, completed: false, deviceTime },
  };
}

/** The kiosk host's journal routes, as the renderer sees them. */
function hostWithJournal(entries: JournalEntry[]) {
  confirmedByHost = [];
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    if (path === '/kiosk/journal' && !init?.method) return Response.json({ entries });
    if (path === '/kiosk/journal/confirmed') {
      confirmedByHost.push(...(JSON.parse(String(init?.body)) as JournalConfirmBody).confirmed);
      return new Response(null, { status: 204 });
    }
    return new Response(null, { status: 404 });
  });
}

beforeEach(async () => {
  db = await openKioskDatabase(`reconcile-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
});

afterEach(async () => {
  vi.unstubAllGlobals();
  await db.close();
});

describe('putting back what the journal holds', () => {
  it('restores records IndexedDB lost, and a later lesson position than the one it kept', async () => {
    await db.lesson_progress.insert(position(10, '2026-11-23T06:10:00.000Z').record);
    hostWithJournal([checkIn('GD1'), position(40, '2026-11-23T06:12:00.000Z')]);
    expect(await reconcileWithJournal(db)).toBe(2);
    expect((await db.attendance.findOne(checkIn('GD1').record.id).exec())?.toJSON()).toEqual({ ...checkIn('GD1').record, syncState: 'waiting' });
    expect((await db.lesson_progress.findOne(position(0, '').record.id).exec())?.positionSeconds).toBe(40);
    // A second start finds nothing missing.
    expect(await reconcileWithJournal(db)).toBe(0);
    expect(confirmedByHost).toEqual([]);
  });

  it('tells the host which records the platform confirmed, and keeps newer local state', async () => {
    await db.attendance.insert({ ...checkIn('GD1').record, receivedAt: '2026-11-23T06:11:00.000Z' });
    await db.attendance.insert(checkIn('GD2').record);
    await db.lesson_progress.insert({ ...position(60, '2026-11-23T06:20:00.000Z').record, receivedAt: '2026-11-23T06:21:00.000Z' });
    hostWithJournal([checkIn('GD1'), checkIn('GD2'), position(40, '2026-11-23T06:12:00.000Z')]);
    expect(await reconcileWithJournal(db)).toBe(0);
    expect(confirmedByHost).toEqual([
      { id: checkIn('GD1').record.id, deviceTime: '2026-11-23T06:10:00.000Z' },
      { id: position(0, '').record.id, deviceTime: '2026-11-23T06:20:00.000Z' },
    ]);
    expect((await db.lesson_progress.findOne(position(0, '').record.id).exec())?.positionSeconds).toBe(60);
  });
});
