import type pg from 'pg';
import type { RecordReview, RecordRefusal, RefusalReason, ReviewReason } from '../../protocol/sync-outcome';
import type { AuthenticatedKiosk } from '../kiosk-auth';
import { prepared } from '../database';

export interface PushRow<Doc> {
  newDocumentState: Doc;
  assumedMasterState?: Doc | null;
}

/** A page of a pull; lastSeq lets a collection skip a row (see courses) without stalling the checkpoint. */
export interface PullPage<Doc> {
  documents: Doc[];
  lastSeq: number | null;
  /** Rows the platform holds but cannot serve (logged for operators). */
  skipped?: { id: string; problem: string }[];
}

/** The platform side of one replicated collection. */
export interface PlatformCollection<Doc> {
  /** Documents this kiosk may read with server_seq above `afterSeq`, oldest write first. */
  pull(pool: pg.Pool, kiosk: AuthenticatedKiosk, afterSeq: number, limit: number): Promise<Doc[] | PullPage<Doc>>;
  /**
   * Writes inside the caller's sync transaction and answers every pushed row with the
   * platform's state of it: the stored document, or the row as sent with `refusal` set.
   */
  push?(client: pg.PoolClient, kiosk: AuthenticatedKiosk, rows: PushRow<Doc>[]): Promise<Doc[]>;
}

/** A push the platform refuses as a whole (abuse); the transaction is rolled back. */
export class SyncRejection extends Error {
  constructor(
    readonly statusCode: 403,
    message: string,
  ) {
    super(message);
  }
}

export function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

/** Keeps the first of each id: a batch that repeats a document is not a conflict with itself. */
export function uniqueById<Doc extends { id: string }>(rows: PushRow<Doc>[]): PushRow<Doc>[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.newDocumentState.id)) return false;
    seen.add(row.newDocumentState.id);
    return true;
  });
}

export interface Refused<Doc> {
  doc: Doc;
  reason: RefusalReason;
  message: string;
}

/** Splits a push into the rows the platform cannot store at all (refusalOf says why) and the rest. */
export function splitRefused<Doc>(docs: Doc[], refusalOf: (doc: Doc) => Refused<Doc> | null): { refused: Refused<Doc>[]; storable: Doc[] } {
  const refused: Refused<Doc>[] = [];
  const storable: Doc[] = [];
  for (const doc of docs) {
    const refusal = refusalOf(doc);
    if (refusal) refused.push(refusal);
    else storable.push(doc);
  }
  return { refused, storable };
}

/** Which of these learners the platform has: a record about any other is held as unknown-learner. */
export async function knownLearners(client: pg.ClientBase, ids: string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ id: string }>(prepared(client, 'known-learners', 'select id from learners where id = any($1::text[])', [[...new Set(ids)]]));
  return new Set(rows.map((r) => r.id));
}

/**
 * Keeps refused rows exactly as received (an operator can see and replay them), and answers each
 * with the row as sent plus `refusal`, stripped of anything only the platform may set.
 */
export async function recordRefusals<Doc extends { id: string; siteId: string; kioskId?: string }>(
  client: pg.ClientBase,
  collection: string,
  kiosk: AuthenticatedKiosk,
  refused: Refused<Doc>[],
): Promise<Doc[]> {
  if (refused.length === 0) return [];
  await client.query(
    `insert into sync_refusals (collection, record_id, kiosk_id, site_id, reason, message, document, document_md5)
     select $1, r.record_id, $2, $3, r.reason, r.message, r.document, md5(r.document::text)
       from jsonb_to_recordset($4::jsonb) as r(record_id text, reason text, message text, document jsonb)
     on conflict (collection, record_id, document_md5) do nothing`,
    [collection, kiosk.id, kiosk.siteId, JSON.stringify(refused.map((r) => ({ record_id: r.doc.id, reason: r.reason, message: r.message, document: r.doc })))],
  );
  return refused.map(({ doc, reason, message }) => {
    // Only the platform sets these; a refused row has none of them.
    const sent = Object.fromEntries(Object.entries(doc).filter(([field]) => !['receivedAt', 'serverSeq', 'review'].includes(field)));
    const refusal: RecordRefusal = { reason, message };
    return { ...sent, refusal } as unknown as Doc;
  });
}

/** The review stamped on a stored row, for its answer and its pulls. */
export function reviewOf(status: RecordReview['status'] | null, reasons: string[]): RecordReview | undefined {
  return status === null ? undefined : { status, reasons: reasons as ReviewReason[] };
}

/** The platform's clock and the kiosk facts every re-check needs, read once per push. */
export interface PushContext {
  now: Date;
  /** Records dated before the kiosk was enrolled could not have been made on it. */
  kioskEnrolledAt: Date;
  clockSkewMs: number;
}

export async function loadPushContext(client: pg.ClientBase, kiosk: AuthenticatedKiosk): Promise<PushContext> {
  const { rows } = await client.query<{ enrolled_at: Date; skew: string; now: Date }>(
    prepared(
      client,
      'push-context',
      `select k.enrolled_at, (select value from credit_rules where name = 'clock_skew_minutes') as skew, now() as now
         from kiosks k where k.id = $1`,
      [kiosk.id],
    ),
  );
  const row = rows[0];
  if (!row) throw new SyncRejection(403, `Kiosk ${kiosk.id} is not enrolled.`);
  return { now: new Date(row.now), kioskEnrolledAt: row.enrolled_at, clockSkewMs: Number(row.skew ?? 10) * 60_000 };
}

/** A device time in the platform's future beyond drift, or before the kiosk existed. */
export function isImplausibleTime(at: Date, context: PushContext): boolean {
  const t = at.getTime();
  return t > context.now.getTime() + context.clockSkewMs || t < context.kioskEnrolledAt.getTime() - context.clockSkewMs;
}
