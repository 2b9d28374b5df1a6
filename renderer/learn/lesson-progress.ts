import { lessonProgressId, reachesCompletion, type LessonProgress } from '../../sync/protocol/lesson-progress';
import type { KioskDatabase } from '../db/kiosk-database';
import type { KioskIdentity } from '../checkin/check-in';
import { journalRecord } from '../db/record-journal';

export interface ProgressUpdate {
  learnerId: string;
  courseId: string;
  lessonId: string;
  positionSeconds: number;
  durationSeconds: number;
}

/**
 * Keeps one progress document per learner and lesson: the latest position, and completion once
 * the position passes the threshold (LESSON_COMPLETION_THRESHOLD). Completion never goes back,
 * so replaying a finished lesson from the start still leaves it completed and credited once.
 */
export async function saveLessonProgress(
  db: KioskDatabase,
  kiosk: KioskIdentity,
  update: ProgressUpdate,
  now: Date = new Date(),
): Promise<Omit<LessonProgress, '_deleted'>> {
  const id = lessonProgressId(update.learnerId, update.courseId, update.lessonId);
  const existing = await db.lesson_progress.findOne(id).exec();
  const reached = reachesCompletion(update.positionSeconds, update.durationSeconds);
  const completed = (existing?.completed ?? false) || reached;
  const completedAt = existing?.completedAt ?? (reached ? now.toISOString() : undefined);
  const doc = {
    id,
    learnerId: update.learnerId,
    courseId: update.courseId,
    lessonId: update.lessonId,
    siteId: kiosk.siteId,
    kioskId: kiosk.kioskId,
    positionSeconds: Math.round(update.positionSeconds * 10) / 10,
    durationSeconds: update.durationSeconds,
    completed,
    ...(completedAt ? { completedAt } : {}),
    deviceTime: now.toISOString(),
  };
  await journalRecord({ kind: 'lesson_progress', record: doc });
  await db.lesson_progress.upsert(doc);
  return doc;
}

/** Where to resume: the saved position, or the start when the lesson was finished or never begun. */
export async function resumePosition(db: KioskDatabase, learnerId: string, courseId: string, lessonId: string): Promise<number> {
  const doc = await db.lesson_progress.findOne(lessonProgressId(learnerId, courseId, lessonId)).exec();
  if (!doc || reachesCompletion(doc.positionSeconds, doc.durationSeconds)) return 0;
  return doc.positionSeconds;
}
