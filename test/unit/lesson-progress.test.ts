import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/db/kiosk-database';
import { resumePosition, saveLessonProgress } from '../../renderer/learn/lesson-progress';

let db: KioskDatabase;
const kiosk = { kioskId: 'KIOSK-1', siteId: 'SITE-1' };
const lesson = { learnerId: 'GD1', courseId: 'c', lessonId: 'l', durationSeconds: 100 };

beforeEach(async () => {
  db = await openKioskDatabase(`progress-${Math.random().toString(36).slice(2)}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
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
  });
});
