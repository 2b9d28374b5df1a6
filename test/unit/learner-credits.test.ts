import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { learnerCredits } from '../../renderer/credits/learner-credits';
import { recordAttendance } from '../../renderer/checkin/check-in';
import { setJournalWriter } from '../../renderer/db/record-journal';
import { saveLessonProgress } from '../../renderer/learn/lesson-progress';
import { demoCourses } from '../../assets/demo-courses';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import { DEMO_KIOSK as kiosk, OPEN_DEMO_SESSION } from '../support/class-session';

let db: KioskDatabase;
const LEARNER = 'GD2026000101';
// Four two-hour classes the same learner checks in to.
const sessions = [0, 1, 2, 3].map((n) => ({
  ...OPEN_DEMO_SESSION,
  id: `00000000-0000-4000-8000-00000000000${n}`,
  title: `class ${n}`,
}));
const at = new Date(OPEN_DEMO_SESSION.startsAt);
const receivedAt = '2026-11-23T06:30:00.000Z';

async function platformAnswers(sessionId: string, verdict: object) {
  const doc = (await db.attendance.findOne(attendanceRecordId(sessionId, LEARNER)).exec())!;
  await db.attendance.upsert({ ...doc.toMutableJSON(), ...verdict });
}

beforeEach(async () => {
  // No kiosk host here: the journal is the host's concern (test/unit/record-journal.test.ts).
  setJournalWriter(async () => undefined);
  db = await openKioskDatabase(`credits-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  await db.class_sessions.bulkInsert(sessions);
  for (const session of sessions) await recordAttendance(db, session, kiosk, LEARNER, '陈秀英', 'scanner', at);
});

afterEach(async () => {
  await db.close();
});

describe('My credits', () => {
  it('counts each record once: credited from the ledger, pending only while waiting, held apart, refused not at all', async () => {
    expect(await learnerCredits(db, LEARNER)).toMatchObject({ ledgerHours: 0, pendingHours: 8, underReviewHours: 0 });
    // 0: stored and credited, its ledger entry pulled. 1: stored, ledger entry not pulled yet.
    // 2: stored and held for review. 3: refused. None of them is pending any more.
    await platformAnswers(sessions[0]!.id, { receivedAt, serverSeq: 1 });
    await db.credit_ledger.insert({
      id: '10000000-0000-4000-8000-000000000000',
      learnerId: LEARNER,
      sourceType: 'attendance',
      sourceId: attendanceRecordId(sessions[0]!.id, LEARNER),
      hours: 2,
      credits: 0.2,
      status: 'provisional',
      earnedOn: '2026-11-23',
      createdAt: receivedAt,
    });
    await platformAnswers(sessions[1]!.id, { receivedAt, serverSeq: 2 });
    await platformAnswers(sessions[2]!.id, { receivedAt, serverSeq: 3, review: { status: 'held', reasons: ['outside-window'] } });
    await platformAnswers(sessions[3]!.id, { refusal: { reason: 'unknown-session', message: 'no such class session' } });
    expect(await learnerCredits(db, LEARNER)).toMatchObject({ ledgerHours: 2, provisionalHours: 2, pendingHours: 0, underReviewHours: 2 });
  });

  it('never counts a record both from the ledger and as pending (the entry came back before the stamp)', async () => {
    await db.credit_ledger.insert({
      id: '10000000-0000-4000-8000-000000000001',
      learnerId: LEARNER,
      sourceType: 'attendance',
      sourceId: attendanceRecordId(sessions[0]!.id, LEARNER),
      hours: 2,
      credits: 0.2,
      status: 'confirmed',
      earnedOn: '2026-11-23',
      createdAt: receivedAt,
    });
    expect(await learnerCredits(db, LEARNER)).toMatchObject({ ledgerHours: 2, pendingHours: 6 });
  });

  it('lists the classes attended and the lessons completed, newest first', async () => {
    const { manifest } = demoCourses()[0]!;
    const lesson = manifest.lessons[0]!;
    await db.courses.insert({ id: manifest.id, version: manifest.version, manifest });
    const later = new Date(at.getTime() + 3_600_000);
    await saveLessonProgress(db, kiosk, { learnerId: LEARNER, courseId: manifest.id, lessonId: lesson.id, positionSeconds: lesson.durationSeconds, durationSeconds: lesson.durationSeconds }, later);
    const { recent } = await learnerCredits(db, LEARNER);
    expect(recent[0]).toEqual({ at: later.toISOString(), title: lesson.title });
    expect(recent.slice(1).map((r) => r.title)).toEqual(['class 0', 'class 1', 'class 2', 'class 3']);
  });
});
