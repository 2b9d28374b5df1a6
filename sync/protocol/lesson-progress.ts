import { Type, type Static } from 'typebox';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import { Code, Id, IsoDateTime, ReplicationFields } from './common';
import type { CoursePackage } from './course-package';
import { PlatformVerdictFields } from './sync-outcome';

/**
 * Share of a lesson a learner must have played for it to count as completed. 90% rather than
 * 100% because seniors often stop in the closing seconds (credits, silence), and seeking past
 * the end is not possible in the player, so 90% of the position still means the lesson was followed.
 */
export const LESSON_COMPLETION_THRESHOLD = 0.9;

/**
 * How far one learner got in one lesson. One document per learner and lesson (the id is derived),
 * updated as they play; once `completed` it stays completed, and the platform credits it once.
 */
export const LessonProgress = Type.Object(
  {
    id: Id,
    learnerId: Code,
    courseId: Type.String({ minLength: 1, maxLength: 64 }),
    lessonId: Type.String({ minLength: 1, maxLength: 64 }),
    siteId: Code,
    kioskId: Code,
    positionSeconds: Type.Number({ minimum: 0 }),
    durationSeconds: Type.Number({ minimum: 0 }),
    completed: Type.Boolean(),
    /** The kiosk's clock when the threshold was reached; kept for people, not for ordering. */
    completedAt: Type.Optional(IsoDateTime),
    deviceTime: IsoDateTime,
    receivedAt: Type.Optional(IsoDateTime),
    ...PlatformVerdictFields,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type LessonProgress = Static<typeof LessonProgress>;

// Parsed once: uuid would otherwise validate and parse the namespace string on every id.
const PROGRESS_NAMESPACE = parseUuid('b1f0e3a4-8c2d-4f6e-9a7b-2c5d8e1f0a93');

export function lessonProgressId(learnerId: string, courseId: string, lessonId: string): string {
  return uuidv5(`${learnerId}/${courseId}/${lessonId}`, PROGRESS_NAMESPACE);
}

export function reachesCompletion(positionSeconds: number, durationSeconds: number): boolean {
  return durationSeconds > 0 && positionSeconds >= durationSeconds * LESSON_COMPLETION_THRESHOLD;
}

/** A completed lesson earns its share of the course's credit hours: courses are credited lesson by lesson. */
export function lessonCreditHours(course: Pick<CoursePackage, 'creditHours' | 'lessons'>): number {
  return Math.round((course.creditHours / course.lessons.length) * 100) / 100;
}
