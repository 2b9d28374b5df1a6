import type { KioskDatabase } from '../db/kiosk-database';
import { scheduledHours } from '../../sync/protocol/class-session';
import { lessonCreditHours } from '../../sync/protocol/lesson-progress';
import type { CoursePackage } from '../../sync/protocol/course-package';

export interface LearnerCredits {
  /** Hours the platform's ledger holds (confirmed or still provisional). */
  ledgerHours: number;
  ledgerCredits: number;
  provisionalHours: number;
  /** Hours of this kiosk's attendance and completed lessons the platform has not acknowledged or credited yet. */
  pendingHours: number;
  recent: { title: string; startsAt: string }[];
}

/** What "my credits" shows: the platform's ledger plus this kiosk's records still waiting to sync. */
export async function learnerCredits(db: KioskDatabase, learnerId: string): Promise<LearnerCredits> {
  const [ledger, attendance, progress] = await Promise.all([
    db.credit_ledger.find({ selector: { learnerId } }).exec(),
    db.attendance.find({ selector: { learnerId } }).exec(),
    db.lesson_progress.find({ selector: { learnerId } }).exec(),
  ]);
  const sessions = await db.class_sessions.findByIds(attendance.map((a) => a.classSessionId)).exec();
  let pendingHours = 0;
  for (const record of attendance) {
    const session = sessions.get(record.classSessionId);
    if (!record.receivedAt && session) pendingHours += scheduledHours(new Date(session.startsAt), new Date(session.endsAt));
  }
  // A completed lesson is pending until its ledger entry (source: the progress record) comes back.
  const creditedLessons = new Set(ledger.filter((e) => e.sourceType === 'lesson').map((e) => e.sourceId));
  const waitingLessons = progress.filter((p) => p.completed && !creditedLessons.has(p.id));
  const courses = await db.courses.findByIds(waitingLessons.map((p) => p.courseId)).exec();
  for (const lesson of waitingLessons) {
    const course = courses.get(lesson.courseId);
    if (course) pendingHours += lessonCreditHours(course.manifest as CoursePackage);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    ledgerHours: round(ledger.reduce((sum, e) => sum + e.hours, 0)),
    ledgerCredits: round(ledger.reduce((sum, e) => sum + e.credits, 0)),
    provisionalHours: round(ledger.filter((e) => e.status === 'provisional').reduce((sum, e) => sum + e.hours, 0)),
    pendingHours: round(pendingHours),
    recent: [...sessions.values()]
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt))
      .slice(0, 5)
      .map((s) => ({ title: s.title, startsAt: s.startsAt })),
  };
}
