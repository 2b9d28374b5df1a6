import type { CoursePackage } from '../../protocol/course-package';
import { lessonCreditHours, lessonProgressId, type LessonProgress } from '../../protocol/lesson-progress';
import { addLedgerEntries } from '../credit-ledger';
import { iso, SyncRejection, uniqueById, type PlatformCollection } from './platform-collection';

interface ProgressRow {
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
  server_seq: string;
}

function toDocument(row: ProgressRow): LessonProgress {
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
    serverSeq: Number(row.server_seq),
    _deleted: false,
  };
}

/**
 * Progress merges instead of conflicting: the latest position wins, completion is sticky. The
 * first push that completes a lesson adds its 'lesson' ledger entry, dated by the kiosk's
 * completion time unless that lies in the platform's future (kiosk clocks are often wrong).
 */
export const lessonProgressCollection: PlatformCollection<LessonProgress> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<ProgressRow>(
      'select * from lesson_progress where site_id = $1 and server_seq > $2 order by server_seq limit $3',
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(toDocument);
  },

  async push(client, kiosk, pushed) {
    const docs = uniqueById(pushed).map((r) => r.newDocumentState);
    for (const doc of docs) {
      if (doc.kioskId !== kiosk.id || doc.siteId !== kiosk.siteId) {
        throw new SyncRejection(403, `Lesson progress ${doc.id} names kiosk ${doc.kioskId} at ${doc.siteId}; this kiosk is ${kiosk.id} at ${kiosk.siteId}.`);
      }
      if (doc._deleted) throw new SyncRejection(422, `Lesson progress ${doc.id}: progress cannot be deleted.`);
      if (doc.id !== lessonProgressId(doc.learnerId, doc.courseId, doc.lessonId)) {
        throw new SyncRejection(422, `Lesson progress ${doc.id}: id must be derived from learnerId, courseId and lessonId.`);
      }
    }
    const { rows: courseRows } = await client.query<{ id: string; manifest: CoursePackage }>(
      'select id, manifest from courses where id = any($1::text[]) and not deleted',
      [[...new Set(docs.map((d) => d.courseId))]],
    );
    const courses = new Map(courseRows.map((r) => [r.id, r.manifest]));
    for (const doc of docs) {
      const course = courses.get(doc.courseId);
      if (!course) throw new SyncRejection(422, `Lesson progress ${doc.id}: course ${doc.courseId} is unknown.`);
      if (!course.lessons.some((l) => l.id === doc.lessonId)) {
        throw new SyncRejection(422, `Lesson progress ${doc.id}: course ${doc.courseId} has no lesson ${doc.lessonId}.`);
      }
    }
    const { rows: before } = await client.query<{ id: string; completed: boolean }>(
      'select id, completed from lesson_progress where id = any($1::uuid[]) for update',
      [docs.map((d) => d.id)],
    );
    const wasCompleted = new Set(before.filter((r) => r.completed).map((r) => r.id));
    const now = new Date();
    for (const doc of docs) {
      await client.query(
        `insert into lesson_progress (id, learner_id, course_id, lesson_id, site_id, kiosk_id, position_seconds, duration_seconds,
                                      completed, completed_at, device_time, server_seq)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nextval('sync_seq'))
         on conflict (id) do update set position_seconds = excluded.position_seconds, duration_seconds = excluded.duration_seconds,
           completed = lesson_progress.completed or excluded.completed,
           completed_at = coalesce(lesson_progress.completed_at, excluded.completed_at),
           kiosk_id = excluded.kiosk_id, device_time = excluded.device_time, server_seq = excluded.server_seq`,
        [doc.id, doc.learnerId, doc.courseId, doc.lessonId, doc.siteId, doc.kioskId, doc.positionSeconds, doc.durationSeconds,
          doc.completed, doc.completedAt ?? null, doc.deviceTime],
      );
    }
    await addLedgerEntries(
      client,
      docs
        .filter((d) => d.completed && !wasCompleted.has(d.id))
        .map((d) => {
          const completedAt = d.completedAt ? new Date(d.completedAt) : now;
          return {
            sourceType: 'lesson' as const,
            sourceId: d.id,
            learnerId: d.learnerId,
            hours: lessonCreditHours(courses.get(d.courseId) as CoursePackage),
            earnedAt: completedAt > now ? now : completedAt,
          };
        }),
    );
    return [];
  },
};
