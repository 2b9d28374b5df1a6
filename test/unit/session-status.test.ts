import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { closeEndedSessions, setSessionStatus } from '../../renderer/staff/session-status';
import { OPEN_DEMO_SESSION } from '../support/class-session';

let db: KioskDatabase;
const A = { ...OPEN_DEMO_SESSION, status: 'planned' as const, statusVersion: 0 };
const B = { ...A, id: '2e8d2075-4a47-4ce5-8b4f-3b5c8a6a1d22', title: 'B', startsAt: '2026-11-23T09:00:00.000Z', endsAt: '2026-11-23T10:00:00.000Z' };

const state = async (id: string) => {
  const doc = (await db.class_sessions.findOne(id).exec())!;
  return [doc.status, doc.statusVersion];
};

beforeEach(async () => {
  db = await openKioskDatabase(`status-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  await db.class_sessions.bulkInsert([A, B]);
});

afterEach(async () => {
  await db.close();
});

describe('session status changes on the kiosk', () => {
  it('carry a version one above the one the kiosk holds; opening B closes A with its own version', async () => {
    await setSessionStatus(db, A.id, 'open');
    expect(await state(A.id)).toEqual(['open', 1]);
    await setSessionStatus(db, B.id, 'open');
    expect(await state(A.id)).toEqual(['closed', 2]);
    expect(await state(B.id)).toEqual(['open', 1]);
    await setSessionStatus(db, B.id, 'closed');
    expect(await state(B.id)).toEqual(['closed', 2]);
  });

  it('change nothing, and no version, when the status is already the one asked for', async () => {
    await setSessionStatus(db, A.id, 'open');
    await setSessionStatus(db, A.id, 'open');
    expect(await state(A.id)).toEqual(['open', 1]);
  });

  it('close every open session past its end, by the kiosk itself, with a version; open ones still running stay open', async () => {
    await setSessionStatus(db, A.id, 'open');
    // Another kiosk's open session still running, as pulled.
    await db.class_sessions.findOne(B.id).incrementalPatch({ status: 'open', statusVersion: 4 });
    expect(await closeEndedSessions(db, new Date('2026-11-23T09:30:00.000Z'))).toBe(1);
    expect(await state(A.id)).toEqual(['closed', 2]);
    expect(await state(B.id)).toEqual(['open', 4]);
    expect(await closeEndedSessions(db, new Date('2026-11-25T00:00:00.000Z'))).toBe(1);
    expect(await state(B.id)).toEqual(['closed', 5]);
  });
});
