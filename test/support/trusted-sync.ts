import type pg from 'pg';
import { createClassSession } from '../../sync/platform/admin/class-sessions';
import { createSite } from '../../sync/platform/admin/sites';
import { seedDemo } from '../../sync/platform/demo-seed';
import { createEnrolmentCode, enrolKiosk } from '../../sync/platform/enrolment';
import type { CoursePackage } from '../../sync/protocol/course-package';
import { lessonProgressId, type LessonProgress } from '../../sync/protocol/lesson-progress';

const HOUR = 3_600_000;

/**
 * Kiosks enrolled by a test are enrolled "now"; records dated before that are implausible to the
 * platform. Tests that push records from the past (fixed 2026 dates, or days ago) enrol their
 * kiosks at the start of 2026; a record dated 2001 stays implausible.
 */
export async function backdateKioskEnrolment(pool: pg.Pool): Promise<void> {
  await pool.query(`update kiosks set enrolled_at = '2026-01-01T00:00:00Z'`);
}

/** A two-hour class that ended an hour ago; `during` is a device time inside its check-in window. */
export async function recentClassSession(pool: pg.Pool, siteId: string, options: { roster?: string[]; hoursAgo?: number; title?: string } = {}) {
  const endsAt = new Date(Date.now() - (options.hoursAgo ?? 1) * HOUR);
  const startsAt = new Date(endsAt.getTime() - 2 * HOUR);
  const { id } = await createClassSession(pool, {
    siteId,
    title: options.title ?? 'recent class',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    status: 'open',
    roster: options.roster ?? [],
  });
  return { id, startsAt, endsAt, during: new Date(startsAt.getTime() + 10 * 60_000).toISOString() };
}

export async function cardSerialOf(pool: pg.Pool, learnerId: string): Promise<number> {
  const { rows } = await pool.query<{ serial: string }>('select serial from learner_cards where learner_id = $1 order by serial desc limit 1', [learnerId]);
  if (!rows[0]) throw new Error(`Learner ${learnerId} has no card.`);
  return Number(rows[0].serial);
}

/** A valid course package with `lessons` lessons of `durationSeconds` each, worth `creditHours` in all. */
export function testCourse(id: string, creditHours: number, lessons = 1, durationSeconds = 600, version = 1): CoursePackage {
  const title = { 'zh-CN': id, 'zh-HK': id, en: id };
  return {
    format: 1,
    id,
    version,
    title,
    summary: title,
    category: 'skills',
    provider: 'test',
    creditHours,
    licence: 'CC0-1.0',
    lessons: Array.from({ length: lessons }, (_, i) => ({
      id: `lesson-${i + 1}`,
      kind: 'video' as const,
      title,
      file: `lesson-${i + 1}.mp4`,
      bytes: 1,
      sha256: '0'.repeat(64),
      durationSeconds,
    })),
  };
}

/** Lesson progress as a kiosk pushes it; overrides make it wrong on purpose. */
export function progressRecord(kiosk: { kioskId: string; siteId: string }, learnerId: string, course: CoursePackage, overrides: Partial<LessonProgress> = {}): LessonProgress {
  const lesson = course.lessons[0]!;
  const now = new Date().toISOString();
  const lessonId = overrides.lessonId ?? lesson.id;
  return {
    id: lessonProgressId(learnerId, course.id, lessonId),
    learnerId,
    courseId: course.id,
    lessonId,
    siteId: kiosk.siteId,
    kioskId: kiosk.kioskId,
    positionSeconds: lesson.durationSeconds,
    durationSeconds: lesson.durationSeconds,
    completed: true,
    completedAt: now,
    deviceTime: now,
    _deleted: false,
    ...overrides,
  };
}

/**
 * Pulls a collection the way RxDB does, page by page from a checkpoint, into `held` (latest
 * write of each id wins); returns the new checkpoint.
 */
export async function pullInto<Doc extends { id: string }>(
  pull: (path: string) => Promise<{ body: unknown }>,
  collection: string,
  held: Map<string, Doc>,
  fromSeq: number,
  limit = 2,
): Promise<number> {
  let seq = fromSeq;
  for (;;) {
    const page = (await pull(`/sync/${collection}/pull?seq=${seq}&limit=${limit}`)).body as { documents: Doc[]; checkpoint: { seq: number } | null };
    for (const doc of page.documents) held.set(doc.id, doc);
    if (page.documents.length === 0 || !page.checkpoint) return seq;
    seq = page.checkpoint.seq;
  }
}

/**
 * The demo site's kiosk and a kiosk of a second site (ZH-XIANGZHOU), both enrolled long enough
 * ago that records from recent days are plausible: what cross-site re-check tests need.
 */
export async function seedTwoSites(pool: pg.Pool): Promise<{ credential: string; otherSite: { kioskId: string; credential: string } }> {
  const credential = (await seedDemo(pool, null)).kioskCredential!;
  await createSite(pool, { id: 'ZH-XIANGZHOU', name: '香洲' });
  const otherSite = await enrolKiosk(pool, (await createEnrolmentCode(pool, 'ZH-XIANGZHOU')).code, { kioskName: 'zh' });
  await backdateKioskEnrolment(pool);
  return { credential, otherSite };
}
