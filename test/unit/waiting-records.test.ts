import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { firstValueFrom, filter } from 'rxjs';
import { createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { recordsIn, setAsideRecords$, waitingCount, waitingRecords$ } from '../../renderer/db/waiting-records';
import { attendanceSchema } from '../../renderer/db/schemas';
import { storeKioskHistory } from '../support/kiosk-history';
import { saveLessonProgress } from '../../renderer/learn/lesson-progress';
import { recordAttendance } from '../../renderer/checkin/check-in';
import { setJournalWriter } from '../../renderer/db/record-journal';
import { DEMO_KIOSK as kiosk, OPEN_DEMO_SESSION as session } from '../support/class-session';

let db: KioskDatabase;

const countIs = (n: number) => firstValueFrom(waitingRecords$(db).pipe(filter((count) => count === n)));

beforeEach(async () => {
  db = await openKioskDatabase(`waiting-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  // No kiosk host here: the journal is the host's concern (test/unit/record-journal.test.ts).
  setJournalWriter(async () => undefined);
});

afterEach(async () => {
  await db.close();
});

describe('records waiting for the platform', () => {
  it('counts check-ins and lesson progress until the platform has stamped them, and a newer position again', async () => {
    await recordAttendance(db, session, kiosk, 'GD2026000101', '陈秀英', 'manual', new Date(session.startsAt));
    const checkIn = (await db.attendance.findOne().exec())!.toMutableJSON();
    const lesson = { learnerId: 'GD2026000101', courseId: 'c', lessonId: 'l', durationSeconds: 100 };
    const progress = await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 10 });
    await expect(countIs(2)).resolves.toBe(2);

    // What a pull brings back: the platform's copy, stamped.
    const receivedAt = new Date().toISOString();
    await db.attendance.upsert({ ...checkIn, receivedAt, serverSeq: 7 });
    await db.lesson_progress.upsert({ ...progress, receivedAt, serverSeq: 8 });
    await expect(countIs(0)).resolves.toBe(0);

    await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 50 });
    await expect(countIs(1)).resolves.toBe(1);
  });

  it('sets a refused record aside with its reason: kept, listed, no longer waiting; held records listed with their reasons', async () => {
    await recordAttendance(db, session, kiosk, 'GD2026000101', '陈秀英', 'manual', new Date(session.startsAt));
    await recordAttendance(db, session, kiosk, 'GD2026000102', '李伟', 'manual', new Date(session.startsAt));
    await expect(countIs(2)).resolves.toBe(2);
    const [first, second] = (await db.attendance.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    // The platform's answers, as RxDB writes them: one refused, one stored and held for review.
    await db.attendance.upsert({ ...first!, refusal: { reason: 'unknown-session', message: 'no such class session' } });
    await db.attendance.upsert({ ...second!, receivedAt: new Date().toISOString(), serverSeq: 9, review: { status: 'held', reasons: ['off-roster'] } });
    await expect(countIs(0)).resolves.toBe(0);
    expect(await db.attendance.count().exec()).toBe(2);
    const setAside = await firstValueFrom(setAsideRecords$(db).pipe(filter((records) => records.length === 2)));
    expect(setAside.map((r) => [r.learnerId, r.kind, r.kind === 'refused' ? r.reason : r.reasons])).toEqual(
      expect.arrayContaining([
        [first!.learnerId, 'refused', 'unknown-session'],
        [second!.learnerId, 'held', ['off-roster']],
      ]),
    );
  });
});

describe('the indicator on a long history', () => {
  it('reads the syncState index, not the stored records, with 100,000 records stored', async () => {
    await storeKioskHistory(db, { received: 99_990, waiting: 10 });
    const { attendance, lesson_progress } = waitingCount(db);
    for (const query of [attendance, lesson_progress, ...Object.values(recordsIn(db, 'held')), ...Object.values(recordsIn(db, 'refused'))]) {
      const plan = query.getPreparedQuery().queryPlan;
      expect(plan.index).toEqual(['_deleted', 'syncState', 'id']);
      expect(plan.selectorSatisfiedByIndex).toBe(true);
    }
    // RxDB answers count() only from an index (it refuses a count that would scan documents).
    await expect(attendance.exec()).resolves.toBe(10);
    await expect(countIs(10)).resolves.toBe(10);
    const heldCheckIns = await firstValueFrom(setAsideRecords$(db).pipe(filter((records) => records.length > 0)));
    expect(heldCheckIns).toHaveLength(1_000);
  }, 180_000);
});

describe('the syncState migration', () => {
  it('stamps records stored before syncState existed (schema version 1) as they stand', async () => {
    await db.close(); // RxDB opens at most 13 collections at once
    const name = `migrate-${Math.random().toString(36).slice(2)}`;
    const storage = getRxStorageDexie({ indexedDB, IDBKeyRange });
    const v1 = { ...structuredClone(attendanceSchema), version: 1, required: attendanceSchema.required!.filter((f) => f !== 'syncState'), indexes: ['classSessionId', 'learnerId'] };
    delete (v1.properties as Record<string, unknown>).syncState;
    const old = await createRxDatabase({ name, storage, multiInstance: false });
    const { attendance } = await old.addCollections({ attendance: { schema: v1, migrationStrategies: { 1: (doc) => doc } } });
    const base = { classSessionId: session.id, siteId: session.siteId, kioskId: kiosk.kioskId, method: 'manual', onRoster: true, deviceTime: session.startsAt };
    await attendance.bulkInsert([
      { ...base, id: 'a', learnerId: 'GD2026000101' },
      { ...base, id: 'b', learnerId: 'GD2026000102', receivedAt: session.startsAt, serverSeq: 1 },
      { ...base, id: 'c', learnerId: 'GD2026000103', receivedAt: session.startsAt, serverSeq: 2, review: { status: 'held', reasons: ['off-roster'] } },
      { ...base, id: 'd', learnerId: 'GD2026000104', refusal: { reason: 'unknown-session', message: 'no such class session' } },
    ]);
    await old.close();
    const migrated = await openKioskDatabase(name, storage);
    try {
      const states = (await migrated.attendance.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.syncState);
      expect(states).toEqual(['waiting', 'received', 'held', 'refused']);
    } finally {
      await migrated.close();
    }
  });
});
