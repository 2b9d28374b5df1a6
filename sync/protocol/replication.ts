import { Type, type Static, type TSchema } from 'typebox';
import { AttendanceRecord } from './attendance-record';
import { ClassSession, ClassSessionAnswer } from './class-session';
import { CreditLedgerEntry } from './credit-ledger-entry';
import { CardRevocation, IssuerKey } from './issuer-key';
import { CourseRecord } from './course-record';
import { LessonProgress } from './lesson-progress';
import { SiteLearner } from './site-learner';

/**
 * RxDB's HTTP replication, one endpoint pair per collection:
 *   GET  /sync/:collection/pull?seq=&limit=   → { documents, checkpoint }
 *   POST /sync/:collection/push  [{ newDocumentState, assumedMasterState }] → answers[]
 * A push is answered row by row with the platform's state of each row that differs from what the
 * kiosk sent: the stored record (with `receivedAt`, `serverSeq`, `review`) for a new row and for
 * a replay alike, or the row with `refusal` set when it could not be stored. RxDB takes each
 * answer as the master state, so a kiosk always learns what the platform holds, even when the
 * answer to an earlier, committed push was lost. Only abuse (a row naming another kiosk or site,
 * a malformed body) refuses a whole push.
 * The checkpoint is the platform's write sequence, which only grows in commit order, so a kiosk
 * with a wrong clock (or two platform instances) can never make a pull skip a record.
 */
export const ReplicationCheckpoint = Type.Object({ seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export type ReplicationCheckpoint = Static<typeof ReplicationCheckpoint>;

/**
 * The most rows one pull may ask for. A fresh kiosk at a big site pulls tens of thousands of rows;
 * 5,000 a page keeps the round trips few, and a page of the largest documents (learners with
 * their card text) stays near 2 MB. Platforms before it took 1,000: upgrade the platform first.
 */
export const MAX_PULL_LIMIT = 5000;

export const PullQuery = Type.Object(
  {
    seq: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
  },
  { additionalProperties: false },
);
export type PullQuery = Static<typeof PullQuery>;

export function pullResponse<T extends TSchema>(document: T) {
  return Type.Object({
    documents: Type.Array(document),
    checkpoint: Type.Union([ReplicationCheckpoint, Type.Null()]),
  });
}

export function pushRow<T extends TSchema>(document: T) {
  return Type.Object(
    {
      newDocumentState: document,
      assumedMasterState: Type.Optional(Type.Union([document, Type.Null()])),
    },
    { additionalProperties: false },
  );
}

/** The platform takes at most this many documents in one push; RxDB's batchSize stays below. */
export const MAX_PUSH_ROWS = 500;

export function pushBody<T extends TSchema>(document: T) {
  return Type.Array(pushRow(document), { minItems: 1, maxItems: MAX_PUSH_ROWS });
}

/**
 * Which collections replicate, which way, the schema of their documents, and of a push's answers
 * (the document itself, unless a collection's answers carry more).
 */
export const replicatedCollections = {
  attendance: { document: AttendanceRecord, push: true },
  class_sessions: { document: ClassSession, push: true, answer: ClassSessionAnswer },
  credit_ledger: { document: CreditLedgerEntry, push: false },
  issuer_keys: { document: IssuerKey, push: false },
  card_revocations: { document: CardRevocation, push: false },
  courses: { document: CourseRecord, push: false },
  lesson_progress: { document: LessonProgress, push: true },
  learners: { document: SiteLearner, push: false },
} as const;
export type ReplicatedCollection = keyof typeof replicatedCollections;

export const ErrorReply = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});
