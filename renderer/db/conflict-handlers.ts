import { deepEqual, type RxConflictHandler, type WithDeleted } from 'rxdb';
import type { ClassSession } from '../../sync/protocol/class-session';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import { recordSyncState } from '../../sync/protocol/sync-outcome';
import type { KioskRecord } from './schemas';

/*
 * How the kiosk takes the platform's answer to a push (docs/check-in-and-sync.md, "Convergence").
 * The platform answers every pushed row that differs from what it holds with its own state of the
 * row; RxDB hands that answer to `resolve` as `realMasterState`, writes the result to the local
 * database and records the answer as the master state. Two RxDB facts the rules lean on:
 *  - a local write made while the push was in flight is never overwritten: the resolved document
 *    is written only if the local one is still the one that was pushed (else a 409 RxDB ignores),
 *    and the newer local write then pushes in the next cycle;
 *  - a resolved document is pushed once more; when it equals what the platform holds the platform
 *    answers nothing for it and the row is settled. So `resolve` must return the platform's state
 *    unchanged whenever the kiosk has nothing newer, or the two would answer each other for ever.
 */

const equal = <T>(a: WithDeleted<T>, b: WithDeleted<T>) => deepEqual(a, b);

/**
 * Staff change a session's status on the kiosk with a version one above the one they saw; the
 * platform takes a status only with a higher version. So the platform's state wins unless this
 * kiosk's pushed version is higher (an answer that raced a newer push): then the kiosk keeps its
 * status and version, takes everything else from the platform, and pushes again.
 */
export const classSessionConflictHandler: RxConflictHandler<ClassSession> = {
  isEqual: equal,
  async resolve({ newDocumentState: local, realMasterState: platform }) {
    if (local.statusVersion <= platform.statusVersion) return platform;
    return { ...platform, status: local.status, statusVersion: local.statusVersion };
  },
};

type StoredProgress = WithDeleted<KioskRecord<LessonProgress>>;

function isAhead(local: StoredProgress, platform: StoredProgress): boolean {
  if (local.completed !== platform.completed) return local.completed;
  return local.positionSeconds > platform.positionSeconds;
}

/**
 * A learner's position in a lesson only moves on. When the platform's answer is behind what the
 * kiosk pushed (it answered an earlier push), the kiosk keeps its position and completion, takes
 * the platform's sequence number and verdict, and drops `receivedAt`: the newer position is still
 * waiting for the platform, and pushes again. Otherwise the platform's state is taken whole.
 */
export const lessonProgressConflictHandler: RxConflictHandler<KioskRecord<LessonProgress>> = {
  isEqual: equal,
  async resolve({ newDocumentState: local, realMasterState: platform }) {
    if (platform.refusal || !isAhead(local, platform)) return platform;
    const ahead = { ...local };
    delete ahead.receivedAt;
    delete ahead.serverSeq;
    delete ahead.review;
    const resolved = {
      ...ahead,
      ...(platform.serverSeq === undefined ? {} : { serverSeq: platform.serverSeq }),
      ...(platform.review ? { review: platform.review } : {}),
    };
    // RxDB writes the resolved document without the collection's hooks: stamp it here.
    return { ...resolved, syncState: recordSyncState(resolved) };
  },
};
