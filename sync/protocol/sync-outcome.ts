import { Type, type Static } from 'typebox';

/**
 * Why the platform holds a pushed record for review instead of crediting it. The record is
 * stored (never dropped) and earns nothing until an operator approves it. Codes, not prose:
 * the kiosk and the operators' tools translate them.
 */
export const ReviewReason = Type.Union([
  /** No learner with this id exists on the platform. */
  Type.Literal('unknown-learner'),
  /** The card serial was never issued, or was issued to another learner or by an unknown key. */
  Type.Literal('card-not-issued'),
  /** The card serial was revoked before the record's device time. */
  Type.Literal('card-revoked'),
  /**
   * The card was signed with an issuer key the platform has retired (no longer trusts). A kiosk
   * that has not pulled the retirement still accepts such cards; the platform holds their check-ins.
   */
  Type.Literal('card-issuer-retired'),
  /** The check-in's device time lies outside the session's check-in window. */
  Type.Literal('outside-window'),
  /** The learner is not on the session's roster. */
  Type.Literal('off-roster'),
  /** The device time lies in the platform's future, or before the record could have been made. */
  Type.Literal('implausible-time'),
  /** Lesson progress claims completion, but its position is short of the threshold of the lesson's duration in the course manifest. */
  Type.Literal('completion-not-reached'),
  /** The session was proposed by a kiosk and the platform has not approved it. */
  Type.Literal('session-not-approved'),
  /** Staff checked the learner in after the class, with a reason they picked (`lateReason`). */
  Type.Literal('late-check-in'),
]);
export type ReviewReason = Static<typeof ReviewReason>;

export const ReviewStatus = Type.Union([Type.Literal('held'), Type.Literal('approved'), Type.Literal('refused')]);
export type ReviewStatus = Static<typeof ReviewStatus>;

/** Set by the platform only; whatever a kiosk sends in this field is ignored. */
export const RecordReview = Type.Object(
  {
    status: ReviewStatus,
    reasons: Type.Array(ReviewReason, { minItems: 1, maxItems: 16 }),
  },
  { additionalProperties: false },
);
export type RecordReview = Static<typeof RecordReview>;

/**
 * Why the platform could not store a pushed row at all (it names something the platform does
 * not have, or breaks a rule no operator can waive). The platform keeps the row as received in
 * its refusals table; the kiosk keeps it set aside with this reason and goes on syncing.
 */
export const RefusalReason = Type.Union([
  Type.Literal('unknown-session'),
  Type.Literal('unknown-course'),
  Type.Literal('unknown-lesson'),
  Type.Literal('invalid-record'),
]);
export type RefusalReason = Static<typeof RefusalReason>;

export const RecordRefusal = Type.Object(
  {
    reason: RefusalReason,
    message: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RecordRefusal = Static<typeof RecordRefusal>;

/** Fields the platform stamps on records a kiosk pushes (attendance, lesson progress). */
export const PlatformVerdictFields = {
  review: Type.Optional(RecordReview),
  refusal: Type.Optional(RecordRefusal),
};

/** A kiosk record is waiting while the platform has neither stored nor refused it. */
export function isWaitingForPlatform(record: { receivedAt?: string; refusal?: RecordRefusal }): boolean {
  return record.receivedAt === undefined && record.refusal === undefined;
}

/**
 * Where a kiosk record stands with the platform, in one indexable value: the kiosk stores it
 * beside the record so the waiting count and the set-aside list read an index, not the whole
 * history. It is derived from the platform's fields above and never written by hand. A record
 * the platform holds but the kiosk has moved beyond (a newer lesson position) counts as waiting:
 * the hold was on a version the kiosk no longer has.
 */
export type RecordSyncState = 'waiting' | 'received' | 'held' | 'refused';
export const RECORD_SYNC_STATES: readonly RecordSyncState[] = ['waiting', 'received', 'held', 'refused'];

export function recordSyncState(record: { receivedAt?: string; refusal?: RecordRefusal; review?: { status: string } }): RecordSyncState {
  if (record.refusal !== undefined) return 'refused';
  if (record.receivedAt === undefined) return 'waiting';
  return record.review?.status === 'held' ? 'held' : 'received';
}
