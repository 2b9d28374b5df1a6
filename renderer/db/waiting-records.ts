import { combineLatest, map, type Observable } from 'rxjs';
import type { RecordRefusal, RecordSyncState, ReviewReason } from '../../sync/protocol/sync-outcome';
import type { KioskDatabase } from './kiosk-database';

/**
 * The queries behind the indicator and the set-aside list: each reads the syncState index, so
 * they cost the records in that state, not the kiosk's whole history (test/unit/waiting-records).
 */
export function recordsIn(db: KioskDatabase, state: RecordSyncState) {
  const selector = { syncState: state };
  return { attendance: db.attendance.find({ selector }), lesson_progress: db.lesson_progress.find({ selector }) };
}

/**
 * Records the platform has not answered for yet: check-ins, and lesson progress (it earns
 * credit too). The platform's answer to a push stamps receivedAt on what it stored, or sets
 * `refusal` on what it could not store; a local write replaces the whole document, so a newer
 * position waits again until the platform has it. syncState (renderer/db/schemas) follows.
 */
export function waitingCount(db: KioskDatabase) {
  const selector = { syncState: 'waiting' as const };
  return { attendance: db.attendance.count({ selector }), lesson_progress: db.lesson_progress.count({ selector }) };
}

export function waitingRecords$(db: KioskDatabase): Observable<number> {
  const { attendance, lesson_progress } = waitingCount(db);
  return combineLatest([attendance.$, lesson_progress.$]).pipe(map(([a, p]) => a + p));
}

export interface WaitingSummary {
  count: number;
  /** The kiosk's clock when the oldest waiting record was made; null when none waits. */
  oldestDeviceTime: string | null;
}

/** How many records wait, and since when: the heartbeat tells the platform both ("records stuck"). */
export function waitingSummary$(db: KioskDatabase): Observable<WaitingSummary> {
  const selector = { syncState: 'waiting' as const };
  return combineLatest([db.attendance.find({ selector }).$, db.lesson_progress.find({ selector }).$]).pipe(
    map(([attendance, progress]) => {
      const times = [...attendance, ...progress].map((d) => d.deviceTime).sort();
      return { count: times.length, oldestDeviceTime: times[0] ?? null };
    }),
  );
}

/** A record the platform stored but holds for review, or refused: staff see each with its reason. */
export type SetAsideRecord =
  | { kind: 'refused'; collection: 'attendance' | 'lesson_progress'; id: string; learnerId: string; about: string; reason: RecordRefusal['reason'] }
  | { kind: 'held'; collection: 'attendance' | 'lesson_progress'; id: string; learnerId: string; about: string; reasons: ReviewReason[] };

interface VerdictFields {
  id: string;
  learnerId: string;
  refusal?: RecordRefusal;
  review?: { status: string; reasons: string[] };
}

function setAside(collection: SetAsideRecord['collection'], doc: VerdictFields, about: string): SetAsideRecord[] {
  const base = { collection, id: doc.id, learnerId: doc.learnerId, about };
  if (doc.refusal) return [{ ...base, kind: 'refused', reason: doc.refusal.reason }];
  if (doc.review?.status === 'held') return [{ ...base, kind: 'held', reasons: doc.review.reasons as ReviewReason[] }];
  return [];
}

/**
 * The records set aside from crediting: refused by the platform (kept here with the reason, no
 * longer waiting) or held for an operator's review. `about` is the class session id for a
 * check-in and course/lesson for progress, for staff to tell them apart.
 */
export function setAsideRecords$(db: KioskDatabase): Observable<SetAsideRecord[]> {
  const lists = (['refused', 'held'] as const).flatMap((state) => {
    const { attendance, lesson_progress } = recordsIn(db, state);
    return [
      attendance.$.pipe(map((docs) => docs.flatMap((d) => setAside('attendance', d, d.classSessionId)))),
      lesson_progress.$.pipe(map((docs) => docs.flatMap((d) => setAside('lesson_progress', d, `${d.courseId}/${d.lessonId}`)))),
    ];
  });
  return combineLatest(lists).pipe(map((found) => found.flat()));
}
