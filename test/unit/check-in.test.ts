import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { checkInWithCard, recordAttendance } from '../../renderer/checkin/check-in';
import { generateIssuerKeyPair, issueLearnerCard, type LearnerCard } from '../../sync/protocol/learner-card';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import type { JournalEntry } from '../../sync/protocol/kiosk-host-api';
import { setJournalWriter } from '../../renderer/db/record-journal';
import { DEMO_KIOSK as KIOSK, OPEN_DEMO_SESSION as SESSION } from '../support/class-session';

const NOW = new Date('2026-11-23T06:10:00Z');

let issuer: { secretKey: Uint8Array; publicKey: string };
let db: KioskDatabase;
let dbCount = 0;
/** What the kiosk host's journal got, and whether IndexedDB already had the record when it did. */
let journaled: { entry: JournalEntry; inDatabase: boolean }[];

function cardFor(learnerId: string, displayName: string, serial: number): Promise<string> {
  const card: LearnerCard = {
    serial,
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2029-01-01T00:00:00Z'),
    issuerKeyId: 'gd-2026a',
    learnerId,
    displayName,
  };
  return issueLearnerCard(card, issuer.secretKey);
}

beforeAll(async () => {
  issuer = await generateIssuerKeyPair();
});

beforeEach(async () => {
  // A fresh database per test; RxDB's free version allows few open collections, so each is closed after.
  const storage = wrappedValidateAjvStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
  db = await openKioskDatabase(`check-in-test-${process.pid}-${dbCount++}`, storage);
  await db.issuer_keys.insert({ id: 'gd-2026a', publicKey: issuer.publicKey, status: 'active', createdAt: '2026-01-01T00:00:00.000Z' });
  journaled = [];
  const current = db;
  setJournalWriter(async (entry) => {
    journaled.push({ entry, inDatabase: (await current.attendance.findOne(entry.record.id).exec()) !== null });
  });
});

afterEach(async () => {
  await db.close();
});

describe('check-in with a learner card', () => {
  it('makes one attendance record for the learner and session', async () => {
    const result = await checkInWithCard(db, SESSION, KIOSK, await cardFor('GD2026000101', '陈秀英', 7), 'camera', NOW);
    expect(result).toEqual({ kind: 'checked-in', learnerId: 'GD2026000101', displayName: '陈秀英', onRoster: true });
    const records = await db.attendance.find().exec();
    expect(records.map((r) => r.toJSON())).toEqual([
      {
        id: attendanceRecordId(SESSION.id, 'GD2026000101'),
        classSessionId: SESSION.id,
        learnerId: 'GD2026000101',
        siteId: KIOSK.siteId,
        kioskId: KIOSK.kioskId,
        method: 'camera',
        cardSerial: 7,
        onRoster: true,
        deviceTime: NOW.toISOString(),
        syncState: 'waiting',
      },
    ]);
    // The host's journal had the very record before IndexedDB did (without the kiosk's own syncState).
    expect(journaled).toEqual([{ entry: { kind: 'attendance', record: { ...records[0]!.toJSON(), syncState: undefined } }, inDatabase: false }]);
    expect(journaled[0]!.entry.record).not.toHaveProperty('syncState');
  });

  it('says nothing is recorded, and records nothing, when the kiosk host cannot keep the record', async () => {
    setJournalWriter(async () => {
      throw new Error('The kiosk host did not keep the record (HTTP 500).');
    });
    expect(await checkInWithCard(db, SESSION, KIOSK, await cardFor('GD2026000101', '陈秀英', 7), 'camera', NOW)).toEqual({ kind: 'rejected', reason: 'not-recorded' });
    expect(await db.attendance.count().exec()).toBe(0);
  });

  it('answers a second scan with already-checked-in and adds nothing', async () => {
    const text = await cardFor('GD2026000101', '陈秀英', 7);
    await checkInWithCard(db, SESSION, KIOSK, text, 'scanner', NOW);
    const again = await checkInWithCard(db, SESSION, KIOSK, text, 'camera', new Date(NOW.getTime() + 60_000));
    expect(again).toEqual({ kind: 'already-checked-in', learnerId: 'GD2026000101', displayName: '陈秀英' });
    const records = await db.attendance.find().exec();
    expect(records).toHaveLength(1);
    expect(records[0]!.method).toBe('scanner');
  });

  it('treats two scans racing each other as one check-in', async () => {
    const text = await cardFor('GD2026000102', '李婉仪', 8);
    const results = await Promise.all([
      checkInWithCard(db, SESSION, KIOSK, text, 'scanner', NOW),
      checkInWithCard(db, SESSION, KIOSK, text, 'camera', NOW),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['already-checked-in', 'checked-in']);
    expect(await db.attendance.count().exec()).toBe(1);
  });

  it('checks in a learner missing from the roster and flags it for staff', async () => {
    const result = await checkInWithCard(db, SESSION, KIOSK, await cardFor('GD2026000120', '区凤仪', 9), 'scanner', NOW);
    expect(result).toMatchObject({ kind: 'checked-in', onRoster: false });
    const record = await db.attendance.findOne(attendanceRecordId(SESSION.id, 'GD2026000120')).exec();
    expect(record?.onRoster).toBe(false);
  });

  it('records nothing for a bad card', async () => {
    const good = await cardFor('GD2026000101', '陈秀英', 7);
    const forged = good.slice(0, -6) + 'AAAAAA';
    expect(await checkInWithCard(db, SESSION, KIOSK, forged, 'scanner', NOW)).toEqual({ kind: 'rejected', reason: 'forged' });
    expect(await checkInWithCard(db, SESSION, KIOSK, 'HELLO-WORLD-12345', 'camera', NOW)).toEqual({ kind: 'rejected', reason: 'unreadable' });
    expect(await db.attendance.count().exec()).toBe(0);
    expect(journaled).toEqual([]);
  });

  it('records nothing for a card revoked on this kiosk', async () => {
    await db.card_revocations.insert({ id: '7', learnerId: 'GD2026000101', revokedAt: '2026-11-01T00:00:00.000Z' });
    const result = await checkInWithCard(db, SESSION, KIOSK, await cardFor('GD2026000101', '陈秀英', 7), 'scanner', NOW);
    expect(result).toEqual({ kind: 'rejected', reason: 'revoked' });
    expect(await db.attendance.count().exec()).toBe(0);
  });

  it('records nothing when the session is not open', async () => {
    const closed = { ...SESSION, status: 'closed' as const };
    const result = await checkInWithCard(db, closed, KIOSK, await cardFor('GD2026000101', '陈秀英', 7), 'scanner', NOW);
    expect(result).toEqual({ kind: 'rejected', reason: 'no-open-session' });
    expect(await db.attendance.count().exec()).toBe(0);
  });

  it('records nothing before the check-in window opens or after the session ends, and says which', async () => {
    const card = await cardFor('GD2026000101', '陈秀英', 7);
    const early = new Date(Date.parse(SESSION.checkInOpensAt) - 60_000);
    expect(await checkInWithCard(db, SESSION, KIOSK, card, 'scanner', early)).toEqual({
      kind: 'rejected',
      reason: 'window-not-open',
      opensAt: SESSION.checkInOpensAt,
    });
    // A class left open two days on (a kiosk clock ahead, or nobody closed it) credits nobody.
    const later = new Date(Date.parse(SESSION.endsAt) + 2 * 86_400_000);
    expect(await checkInWithCard(db, SESSION, KIOSK, card, 'scanner', later)).toMatchObject({ kind: 'rejected', reason: 'session-ended' });
    expect(await recordAttendance(db, SESSION, KIOSK, 'GD2026000102', 'GD2026000102', 'manual', later)).toMatchObject({
      kind: 'rejected',
      reason: 'session-ended',
    });
    expect(await db.attendance.count().exec()).toBe(0);
    // The window's edges are inside it.
    expect(await checkInWithCard(db, SESSION, KIOSK, card, 'scanner', new Date(SESSION.checkInOpensAt))).toMatchObject({ kind: 'checked-in' });
  });
});

describe('manual check-in by staff', () => {
  it('records attendance without a card serial and with method manual', async () => {
    const result = await recordAttendance(db, SESSION, KIOSK, 'GD2026000102', 'GD2026000102', 'manual', NOW);
    expect(result).toMatchObject({ kind: 'checked-in', onRoster: true });
    const record = (await db.attendance.findOne(attendanceRecordId(SESSION.id, 'GD2026000102')).exec())!.toJSON();
    expect(record.method).toBe('manual');
    expect(record).not.toHaveProperty('cardSerial');
  });
});

describe('late check-in by staff', () => {
  it('records a learner into a closed class after its end only with a reason from the list, kept on the record and journaled', async () => {
    const closed = { ...SESSION, status: 'closed' as const };
    const twoDaysOn = new Date(Date.parse(SESSION.endsAt) + 2 * 86_400_000);
    expect(await recordAttendance(db, closed, KIOSK, 'GD2026000102', '李婉仪', 'manual', twoDaysOn)).toEqual({ kind: 'rejected', reason: 'no-open-session' });
    const result = await recordAttendance(db, closed, KIOSK, 'GD2026000102', '李婉仪', 'manual', twoDaysOn, undefined, 'paper-register');
    expect(result).toMatchObject({ kind: 'checked-in', onRoster: true });
    const record = (await db.attendance.findOne(attendanceRecordId(SESSION.id, 'GD2026000102')).exec())!.toJSON();
    expect(record).toMatchObject({ lateReason: 'paper-register', deviceTime: twoDaysOn.toISOString(), method: 'manual' });
    expect(journaled.map((j) => j.entry.record)).toEqual([expect.objectContaining({ lateReason: 'paper-register' })]);
    // Still one record per learner and class.
    expect(await recordAttendance(db, closed, KIOSK, 'GD2026000102', '李婉仪', 'manual', twoDaysOn, undefined, 'kiosk-unavailable')).toMatchObject({
      kind: 'already-checked-in',
    });
  });

  it('refuses a reason that is not on the list, recording nothing', async () => {
    const twoDaysOn = new Date(Date.parse(SESSION.endsAt) + 2 * 86_400_000);
    await expect(
      recordAttendance(db, SESSION, KIOSK, 'GD2026000101', '陈秀英', 'manual', twoDaysOn, undefined, 'forgot' as never),
    ).rejects.toThrow();
    expect(await db.attendance.count().exec()).toBe(0);
  });
});
