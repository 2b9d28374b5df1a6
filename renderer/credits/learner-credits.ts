import type { KioskDatabase } from '../db/kiosk-database';
import { scheduledHours } from '../../sync/protocol/class-session';
import { lessonCreditHours } from '../../sync/protocol/lesson-progress';
import type { CoursePackage } from '../../sync/protocol/course-package';
import type { Static } from 'typebox';
import type { LocalizedText } from '../../sync/protocol/common';
import { isWaitingForPlatform, type RecordRefusal, type RecordReview } from '../../sync/protocol/sync-outcome';

export interface LearnerCredits {
  /** Hours the platform's ledger holds (confirmed or still provisional). */
  ledgerHours: number;
  ledgerCredits: number;
  /** Of ledgerHours, those the platform has not confirmed yet. */
  provisionalHours: number;
  /** Hours of this kiosk's records the platform has not answered for yet (still waiting to upload). */
  pendingHours: number;
  /** Hours of records the platform stored but holds for review: not in the ledger until approved. */
  underReviewHours: number;
  /** The newest classes attended and lessons completed, newest first: what the hours came from. */
  recent: RecentLearning[];
}

/** A class has the one title the platform gave it; a lesson has one in each catalog language. */
export interface RecentLearning {
  at: string;
  title: string | Static<typeof LocalizedText>;
}

const RECENT_ITEMS = 5;

/** Where a record stands for My credits: each record is in exactly one of these. */
type Standing = 'credited' | 'pending' | 'under-review' | 'not-credited';

function standing(record: { id: string; receivedAt?: string; refusal?: RecordRefusal; review?: RecordReview }, ledgerSources: Set<string>): Standing {
  if (ledgerSources.has(record.id)) return 'credited';
  if (isWaitingForPlatform(record)) return 'pending';
  if (record.review?.status === 'held') return 'under-review';
  // Refused, or received and credited nothing (the ledger entry, if any, arrives with the next pull).
  return 'not-credited';
}

/**
 * What "my credits" shows: the platform's ledger, plus this kiosk's records the platform has not
 * answered for yet as pending, and those it holds for review apart. A record is counted once:
 * once the platform has received it, it is the ledger's to count (or not), never pending too;
 * so after a sync the confirmed and provisional figures are exactly the platform's ledger.
 */
export async function learnerCredits(db: KioskDatabase, learnerId: string): Promise<LearnerCredits> {
  const [ledger, attendance, progress] = await Promise.all([
    db.credit_ledger.find({ selector: { learnerId } }).exec(),
    db.attendance.find({ selector: { learnerId } }).exec(),
    db.lesson_progress.find({ selector: { learnerId } }).exec(),
  ]);
  const ledgerSources = new Set(ledger.map((e) => e.sourceId));
  const sessions = await db.class_sessions.findByIds(attendance.map((a) => a.classSessionId)).exec();
  const hoursBy: Record<Standing, number> = { credited: 0, pending: 0, 'under-review': 0, 'not-credited': 0 };
  for (const record of attendance) {
    const session = sessions.get(record.classSessionId);
    if (session) hoursBy[standing(record, ledgerSources)] += scheduledHours(new Date(session.startsAt), new Date(session.endsAt));
  }
  const completed = progress.filter((p) => p.completed);
  const courses = await db.courses.findByIds(completed.map((p) => p.courseId)).exec();
  for (const lesson of completed) {
    const course = courses.get(lesson.courseId);
    if (course) hoursBy[standing(lesson, ledgerSources)] += lessonCreditHours(course.manifest as CoursePackage);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    ledgerHours: round(ledger.reduce((sum, e) => sum + e.hours, 0)),
    ledgerCredits: round(ledger.reduce((sum, e) => sum + e.credits, 0)),
    provisionalHours: round(ledger.filter((e) => e.status === 'provisional').reduce((sum, e) => sum + e.hours, 0)),
    pendingHours: round(hoursBy.pending),
    underReviewHours: round(hoursBy['under-review']),
    recent: [
      ...[...sessions.values()].map((s): RecentLearning => ({ at: s.startsAt, title: s.title })),
      ...completed.flatMap((p): RecentLearning[] => {
        const lesson = (courses.get(p.courseId)?.manifest as CoursePackage | undefined)?.lessons.find((l) => l.id === p.lessonId);
        return lesson ? [{ at: p.completedAt ?? p.deviceTime, title: lesson.title }] : [];
      }),
    ]
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      .slice(0, RECENT_ITEMS),
  };
}
