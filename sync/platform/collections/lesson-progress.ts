import type { CoursePackage, Lesson } from '../../protocol/course-package';
import { LESSON_COMPLETION_THRESHOLD, lessonCreditHours, lessonProgressId, type LessonProgress } from '../../protocol/lesson-progress';
import type { ReviewReason } from '../../protocol/sync-outcome';
import { addLedgerEntries } from '../credit-ledger';
import { lockSyncScope } from '../database';
import {
  isImplausibleTime,
  iso,
  knownLearners,
  loadPushContext,
  recordRefusals,
  reviewOf,
  splitRefused,
  SyncRejection,
  uniqueById,
  type PlatformCollection,
  type PushContext,
  type Refused,
} from './platform-collection';

export interface ProgressRow {
  id: string;
  learner_id: string;
  course_id: string;
  lesson_id: string;
  site_id: string;
  kiosk_id: string;
  position_seconds: string;
  duration_seconds: string;
  completed: boolean;
  completed_at: Date | null;
  device_time: Date;
  received_at: Date;
  review_status: 'held' | 'approved' | 'refused' | null;
  review_reasons: string[];
  credit_seq: string | null;
  credited_hours: string | null;
  server_seq: string;
}

export function progressDocument(row: ProgressRow): LessonProgress {
  const review = reviewOf(row.review_status, row.review_reasons);
  return {
    id: row.id,
    learnerId: row.learner_id,
    courseId: row.course_id,
    lessonId: row.lesson_id,
    siteId: row.site_id,
    kioskId: row.kiosk_id,
    positionSeconds: Number(row.position_seconds),
    durationSeconds: Number(row.duration_seconds),
    completed: row.completed,
    ...(row.completed_at ? { completedAt: iso(row.completed_at) } : {}),
    deviceTime: iso(row.device_time),
    receivedAt: iso(row.received_at),
    ...(review ? { review } : {}),
    serverSeq: Number(row.server_seq),
    _deleted: false,
  };
}

/** Completion as the platform judges it: the manifest's duration, not the one the kiosk reports. */
export function reachesManifestCompletion(positionSeconds: number, lesson: Pick<Lesson, 'durationSeconds'>): boolean {
  // A lesson without a duration (a page to read) has no position to check: its completion is the kiosk's.
  return lesson.durationSeconds <= 0 || positionSeconds >= lesson.durationSeconds * LESSON_COMPLETION_THRESHOLD;
}

function refusalOf(doc: LessonProgress, course: CoursePackage | undefined): Refused<LessonProgress> | null {
  if (doc._deleted) return { doc, reason: 'invalid-record', message: 'Lesson progress cannot be deleted.' };
  if (doc.id !== lessonProgressId(doc.learnerId, doc.courseId, doc.lessonId)) {
    return { doc, reason: 'invalid-record', message: 'The id must be derived from learnerId, courseId and lessonId.' };
  }
  if (!course) return { doc, reason: 'unknown-course', message: `Course ${doc.courseId} does not exist on the platform.` };
  if (!course.lessons.some((l) => l.id === doc.lessonId)) {
    return { doc, reason: 'unknown-lesson', message: `Course ${doc.courseId} has no lesson ${doc.lessonId}.` };
  }
  return null;
}

/**
 * Merges a push into the stored row. Progress only moves forward, whichever kiosk or site sends
 * it: the furthest position, completion sticky, the first completion time (clamped to the time
 * received). The row names the site and kiosk that last moved it, until it is completed: then the
 * completing site keeps it (that is where the credit was earned, and what `ledger confirm --site`
 * confirms). No push can lower another site's position or undo its completion.
 */
function merge(stored: ProgressRow | undefined, doc: LessonProgress, now: Date) {
  const claimedAt = doc.completedAt ? new Date(doc.completedAt) : now;
  const completedAt = stored?.completed_at ?? (doc.completed ? (claimedAt > now ? now : claimedAt) : null);
  const frozen = stored?.completed === true;
  return {
    id: doc.id,
    learner_id: doc.learnerId,
    course_id: doc.courseId,
    lesson_id: doc.lessonId,
    site_id: frozen ? stored.site_id : doc.siteId,
    kiosk_id: frozen ? stored.kiosk_id : doc.kioskId,
    position_seconds: Math.max(Number(stored?.position_seconds ?? 0), doc.positionSeconds),
    duration_seconds: doc.durationSeconds,
    completed: (stored?.completed ?? false) || doc.completed,
    completed_at: completedAt,
    device_time: doc.deviceTime,
  };
}

function reviewReasons(merged: ReturnType<typeof merge>, doc: LessonProgress, lesson: Lesson, learnerKnown: boolean, context: PushContext): ReviewReason[] {
  // Only a completion earns anything, so only a completion is re-checked.
  if (!merged.completed) return [];
  const reasons: ReviewReason[] = [];
  if (!learnerKnown) reasons.push('unknown-learner');
  if (!reachesManifestCompletion(merged.position_seconds, lesson)) reasons.push('completion-not-reached');
  const claimed = [new Date(doc.deviceTime), ...(doc.completedAt ? [new Date(doc.completedAt)] : [])];
  if (claimed.some((at) => isImplausibleTime(at, context))) reasons.push('implausible-time');
  return reasons;
}

export const lessonProgressCollection: PlatformCollection<LessonProgress> = {
  /** A learner's progress goes to every site they are placed at (learner_sites), and to the site that recorded it. */
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<ProgressRow>(
      `select * from lesson_progress p
        where p.server_seq > $2
          and (p.site_id = $1 or exists (select 1 from learner_sites s where s.learner_id = p.learner_id and s.site_id = $1))
        order by p.server_seq limit $3`,
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(progressDocument);
  },

  async push(client, kiosk, pushed) {
    const docs = uniqueById(pushed).map((r) => r.newDocumentState);
    for (const doc of docs) {
      if (doc.kioskId !== kiosk.id || doc.siteId !== kiosk.siteId) {
        throw new SyncRejection(403, `Lesson progress ${doc.id} names kiosk ${doc.kioskId} at ${doc.siteId}; this kiosk is ${kiosk.id} at ${kiosk.siteId}.`);
      }
    }
    const { rows: courseRows } = await client.query<{ id: string; manifest: CoursePackage }>(
      'select id, manifest from courses where id = any($1::text[]) and not deleted',
      [[...new Set(docs.map((d) => d.courseId))]],
    );
    const courses = new Map(courseRows.map((r) => [r.id, r.manifest]));
    const { refused, storable } = splitRefused(docs, (doc) => refusalOf(doc, courses.get(doc.courseId)));
    const answers = new Map<string, LessonProgress>();
    if (storable.length > 0) {
      // Progress is pulled by its site and wherever its learner is placed (as is the ledger).
      await lockSyncScope(client, { sites: [kiosk.siteId], learners: storable.map((d) => d.learnerId) });
      const context = await loadPushContext(client, kiosk);
      const { rows: before } = await client.query<ProgressRow>('select * from lesson_progress where id = any($1::uuid[]) for update', [
        storable.map((d) => d.id),
      ]);
      const storedRows = new Map(before.map((r) => [r.id, r]));
      const learners = await knownLearners(client, storable.map((d) => d.learnerId));
      const credited: { id: string; learnerId: string; hours: number; completedAt: Date }[] = [];
      for (const doc of storable) {
        const stored = storedRows.get(doc.id);
        const course = courses.get(doc.courseId) as CoursePackage;
        const lesson = course.lessons.find((l) => l.id === doc.lessonId) as Lesson;
        const merged = merge(stored, doc, context.now);
        const decided = stored?.review_status === 'approved' || stored?.review_status === 'refused';
        const alreadyCredited = stored?.credit_seq != null;
        // A row an operator decided, or one already credited, keeps its verdict; anything else is
        // re-checked on every push, so progress that later reaches the threshold is credited then.
        const reasons = decided || alreadyCredited ? (stored?.review_reasons ?? []) : reviewReasons(merged, doc, lesson, learners.has(doc.learnerId), context);
        const reviewStatus = decided || alreadyCredited ? (stored?.review_status ?? null) : reasons.length > 0 ? 'held' : null;
        const creditNow = !alreadyCredited && merged.completed && (reviewStatus === null || reviewStatus === 'approved');
        // An accepted push places the learner at the pushing site even when the row keeps the
        // completing site (the trigger on lesson_progress sees only the row's own site).
        // Placed before the write, so the answer carries the row's final sequence number.
        if (learners.has(doc.learnerId) && (reviewStatus === null || reviewStatus === 'approved')) {
          await client.query('select place_learner_at_site($1, $2)', [doc.learnerId, doc.siteId]);
        }
        const hours = lessonCreditHours(course);
        // The key by name: once partitioned by learner (partition-tables.ts) it is (id, learner_id),
        // and "on conflict (id)" would find no matching unique index.
        const { rows } = await client.query<ProgressRow>(
          `insert into lesson_progress (id, learner_id, course_id, lesson_id, site_id, kiosk_id, position_seconds, duration_seconds,
                                        completed, completed_at, device_time, review_status, review_reasons, server_seq, credit_seq, credited_hours)
           select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, s.seq, case when $14 then s.seq end, case when $14 then $15::numeric end
             from (select next_learner_sync_seq($2) as seq) s
           on conflict on constraint lesson_progress_pkey do update set site_id = excluded.site_id, kiosk_id = excluded.kiosk_id,
             position_seconds = excluded.position_seconds, duration_seconds = excluded.duration_seconds, completed = excluded.completed,
             completed_at = excluded.completed_at, device_time = excluded.device_time, review_status = excluded.review_status,
             review_reasons = excluded.review_reasons, server_seq = excluded.server_seq,
             credit_seq = coalesce(lesson_progress.credit_seq, excluded.credit_seq),
             credited_hours = coalesce(lesson_progress.credited_hours, excluded.credited_hours)
           returning *`,
          [merged.id, merged.learner_id, merged.course_id, merged.lesson_id, merged.site_id, merged.kiosk_id, merged.position_seconds,
            merged.duration_seconds, merged.completed, merged.completed_at, merged.device_time, reviewStatus, reasons, creditNow, hours],
        );
        const row = rows[0] as ProgressRow;
        answers.set(doc.id, progressDocument(row));
        if (creditNow) credited.push({ id: row.id, learnerId: row.learner_id, hours, completedAt: row.completed_at as Date });
      }
      await addLedgerEntries(client, credited.map((c) => lessonCreditSource(c.id, c.learnerId, c.hours, c.completedAt)));
    }
    const refusedAnswers = new Map((await recordRefusals(client, 'lesson_progress', kiosk, refused)).map((d) => [d.id, d]));
    return docs.flatMap((d) => {
      const answer = answers.get(d.id) ?? refusedAnswers.get(d.id);
      return answer ? [answer] : [];
    });
  },
};

export function lessonCreditSource(id: string, learnerId: string, hours: number, completedAt: Date) {
  return { sourceType: 'lesson' as const, sourceId: id, learnerId, hours, earnedAt: completedAt };
}
