import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { resumePosition, saveLessonProgress } from '../../renderer/learn/lesson-progress';
import { learnerCredits } from '../../renderer/credits/learner-credits';
import { demoCourses } from '../../assets/demo-courses';
import { lessonProgressId } from '../../sync/protocol/lesson-progress';
import type { JournalEntry } from '../../sync/protocol/kiosk-host-api';
import { setJournalWriter } from '../../renderer/db/record-journal';

let db: KioskDatabase;
let journaled: JournalEntry[];
const kiosk = { kioskId: 'KIOSK-1', siteId: 'SITE-1' };
const lesson = { learnerId: 'GD1', courseId: 'c', lessonId: 'l', durationSeconds: 100 };

beforeEach(async () => {
  db = await openKioskDatabase(`progress-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  journaled = [];
  setJournalWriter(async (entry) => {
    journaled.push(entry);
  });
});

afterEach(async () => {
  await db.close();
});

describe('lesson progress', () => {
  it('keeps the position to resume from, and completes at 90%', async () => {
    expect((await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 42 })).completed).toBe(false);
    expect(await resumePosition(db, 'GD1', 'c', 'l')).toBe(42);
    expect((await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 89.9 })).completed).toBe(false);
    const done = await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 90 });
    expect(done.completed).toBe(true);
    expect(done.completedAt).toBeDefined();
    // Watching again from the start does not undo completion; a finished lesson restarts at 0.
    expect(await resumePosition(db, 'GD1', 'c', 'l')).toBe(0);
    const again = await saveLessonProgress(db, kiosk, { ...lesson, positionSeconds: 3 });
    expect(again).toMatchObject({ completed: true, completedAt: done.completedAt });
    expect(await db.lesson_progress.count().exec()).toBe(1);
    // Every saved state went to the host's journal, the last one as IndexedDB holds it.
    expect(journaled.map((e) => e.kind === 'lesson_progress' && e.record.positionSeconds)).toEqual([42, 89.9, 90, 3]);
    expect({ ...journaled.at(-1)?.record, syncState: 'waiting' }).toEqual((await db.lesson_progress.findOne(again.id).exec())?.toJSON());
    expect(journaled.at(-1)?.record).not.toHaveProperty('syncState');
  });

  it('counts a completed lesson as pending until its ledger entry comes back', async () => {
    const course = demoCourses()[1]!.manifest; // 6 credit hours over 2 lessons
    await db.courses.insert({ id: course.id, version: course.version, manifest: course });
    const lessonId = course.lessons[0]!.id;
    const update = { learnerId: 'GD1', courseId: course.id, lessonId, durationSeconds: 60 };
    await saveLessonProgress(db, kiosk, { ...update, positionSeconds: 30 });
    expect((await learnerCredits(db, 'GD1')).pendingHours).toBe(0);
    await saveLessonProgress(db, kiosk, { ...update, positionSeconds: 60 });
    expect((await learnerCredits(db, 'GD1')).pendingHours).toBe(3);
    await db.credit_ledger.insert({
      id: '00000000-0000-4000-8000-000000000001',
      learnerId: 'GD1',
      sourceType: 'lesson',
      sourceId: lessonProgressId('GD1', course.id, lessonId),
      hours: 3,
      credits: 0.3,
      status: 'provisional',
      earnedOn: '2026-11-23',
      createdAt: '2026-11-23T00:00:00.000Z',
    });
    expect(await learnerCredits(db, 'GD1')).toMatchObject({ pendingHours: 0, ledgerHours: 3 });
  });
});
