import type pg from 'pg';
import { attendanceRecordId, type AttendanceRecord } from '../../protocol/attendance-record';
import { isInsideCheckInWindow, scheduledHours } from '../../protocol/class-session';
import type { ReviewReason } from '../../protocol/sync-outcome';
import { addLedgerEntries } from '../credit-ledger';
import { lockSyncScope, prepared } from '../database';
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

export interface AttendanceRow {
  id: string;
  class_session_id: string;
  claimed_learner_id: string;
  site_id: string;
  kiosk_id: string;
  method: AttendanceRecord['method'];
  card_serial: string | null;
  on_roster: boolean;
  device_time: Date;
  late_reason: AttendanceRecord['lateReason'] | null;
  received_at: Date;
  review_status: 'held' | 'approved' | 'refused' | null;
  review_reasons: string[];
  server_seq: string;
}

export function attendanceDocument(row: AttendanceRow): AttendanceRecord {
  const review = reviewOf(row.review_status, row.review_reasons);
  return {
    id: row.id,
    classSessionId: row.class_session_id,
    learnerId: row.claimed_learner_id,
    siteId: row.site_id,
    kioskId: row.kiosk_id,
    method: row.method,
    ...(row.card_serial === null ? {} : { cardSerial: Number(row.card_serial) }),
    onRoster: row.on_roster,
    deviceTime: iso(row.device_time),
    ...(row.late_reason === null ? {} : { lateReason: row.late_reason }),
    receivedAt: iso(row.received_at),
    ...(review ? { review } : {}),
    serverSeq: Number(row.server_seq),
    _deleted: false,
  };
}

/** Naming another kiosk, site or another site's session is abuse: the whole push is refused. */
function checkScope(docs: AttendanceRecord[], kiosk: { id: string; siteId: string }, sessions: Map<string, SessionFacts>): void {
  for (const doc of docs) {
    if (doc.kioskId !== kiosk.id || doc.siteId !== kiosk.siteId) {
      throw new SyncRejection(
        403,
        `Attendance ${doc.id} names kiosk ${doc.kioskId} at site ${doc.siteId}; this kiosk is ${kiosk.id} at ${kiosk.siteId}.`,
      );
    }
    const session = sessions.get(doc.classSessionId);
    if (session && session.site_id !== kiosk.siteId) {
      throw new SyncRejection(403, `Attendance ${doc.id}: class session ${doc.classSessionId} belongs to another site.`);
    }
  }
}

/** Rows the platform cannot store at all; they are kept in sync_refusals and answered with the reason. */
function refusalOf(doc: AttendanceRecord, session: SessionFacts | undefined): Refused<AttendanceRecord> | null {
  if (doc._deleted) return { doc, reason: 'invalid-record', message: 'Attendance records cannot be deleted.' };
  if (doc.id !== attendanceRecordId(doc.classSessionId, doc.learnerId)) {
    return { doc, reason: 'invalid-record', message: 'The id must be derived from classSessionId and learnerId.' };
  }
  if (!session || session.deleted) {
    return { doc, reason: 'unknown-session', message: `Class session ${doc.classSessionId} does not exist on the platform.` };
  }
  return null;
}

interface CardFacts {
  learner_id: string;
  /** Null when the platform does not have the key the card names. */
  key_status: 'active' | 'verify-only' | 'retired' | null;
  revoked_at: Date | null;
}

/** The re-checks of docs/check-in-and-sync.md ("Server-side rules"), in a stable order. */
function reviewReasons(doc: AttendanceRecord, session: SessionFacts, learnerKnown: boolean, card: CardFacts | undefined, context: PushContext): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  const deviceTime = new Date(doc.deviceTime);
  if (!learnerKnown) reasons.push('unknown-learner');
  if (doc.method !== 'manual') {
    // A card check-in must name a card the platform issued to this learner with a key it knows.
    if (doc.cardSerial === undefined || !card || card.learner_id !== doc.learnerId || card.key_status === null) {
      reasons.push('card-not-issued');
    } else {
      if (card.revoked_at && card.revoked_at.getTime() <= deviceTime.getTime()) reasons.push('card-revoked');
      // A kiosk offline since a key was retired still verifies its cards: the platform does not.
      if (card.key_status === 'retired') reasons.push('card-issuer-retired');
    }
  }
  if (!isInsideCheckInWindow({ checkInOpensAt: iso(session.check_in_opens_at), endsAt: iso(session.ends_at) }, deviceTime)) {
    reasons.push('outside-window');
  }
  // An empty roster is an open class: anyone may attend.
  if (session.roster.length > 0 && !session.roster.includes(doc.learnerId)) reasons.push('off-roster');
  if (isImplausibleTime(deviceTime, context)) reasons.push('implausible-time');
  if (session.approval !== 'approved') reasons.push('session-not-approved');
  if (doc.lateReason !== undefined) reasons.push('late-check-in');
  return reasons;
}

export const attendanceCollection: PlatformCollection<AttendanceRecord> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<AttendanceRow>(
      `select * from attendance where site_id = $1 and server_seq > $2 order by server_seq limit $3`,
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(attendanceDocument);
  },

  async push(client, kiosk, pushed) {
    const docs = uniqueById(pushed).map((r) => r.newDocumentState);
    const sessions = await loadSessions(client, [...new Set(docs.map((d) => d.classSessionId))]);
    checkScope(docs, kiosk, sessions);
    const { refused, storable } = splitRefused(docs, (doc) => refusalOf(doc, sessions.get(doc.classSessionId)));
    const stored = new Map<string, AttendanceRecord>();
    if (storable.length > 0) {
      // Attendance is pulled by its site; the ledger entries and placements it makes are pulled
      // wherever its learners are placed: all of those are locked before a row is numbered.
      await lockSyncScope(client, { sites: [kiosk.siteId], learners: storable.map((d) => d.learnerId) });
      const context = await loadPushContext(client, kiosk);
      const learners = await knownLearners(client, storable.map((d) => d.learnerId));
      const cards = await loadCards(client, storable.flatMap((d) => (d.cardSerial === undefined ? [] : [d.cardSerial])));
      const rows = storable.map((d) => {
        const session = sessions.get(d.classSessionId) as SessionFacts;
        const reasons = reviewReasons(d, session, learners.has(d.learnerId), cards.get(d.cardSerial ?? -1), context);
        return {
          id: d.id,
          class_session_id: d.classSessionId,
          learner_id: learners.has(d.learnerId) ? d.learnerId : null,
          claimed_learner_id: d.learnerId,
          site_id: d.siteId,
          kiosk_id: d.kioskId,
          method: d.method,
          card_serial: d.cardSerial ?? null,
          on_roster: d.onRoster,
          device_time: d.deviceTime,
          late_reason: d.lateReason ?? null,
          // A check-in into a class the platform refused is kept, refused with it.
          review_status: reasons.length === 0 ? null : session.approval === 'refused' ? 'refused' : 'held',
          review_reasons: reasons,
        };
      });
      // A record that passed every re-check is creditable now: its credit_seq is its server_seq.
      const { rows: inserted } = await client.query<AttendanceRow & { learner_id: string | null; credit_seq: string | null }>(
        prepared(
          client,
          'attendance-insert',
          `with seq as (
           select r.*, next_sync_seq(r.site_id) as seq
             from jsonb_to_recordset($1::jsonb) as r(id uuid, class_session_id uuid, learner_id text, claimed_learner_id text, site_id text,
                  kiosk_id text, method text, card_serial bigint, on_roster boolean, device_time timestamptz, late_reason text, review_status text,
                  review_reasons text[])
         )
         insert into attendance (id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, card_serial, on_roster,
                                 device_time, late_reason, review_status, review_reasons, server_seq, credit_seq)
         select id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, card_serial, on_roster, device_time, late_reason,
                review_status, review_reasons, seq, case when review_status is null then seq end
           from seq
         on conflict do nothing
         returning *`,
          [JSON.stringify(rows)],
        ),
      );
      await addLedgerEntries(
        client,
        inserted
          .filter((row) => row.credit_seq !== null)
          .sort((a, b) => Number(a.credit_seq) - Number(b.credit_seq))
          .map((row) => attendanceCreditSource(row.id, row.learner_id as string, sessions.get(row.class_session_id) as SessionFacts)),
      );
      for (const row of inserted) stored.set(row.id, attendanceDocument(row));
      // Replays (and a second kiosk's check-in of the same learner) are answered with the stored
      // record, so a kiosk whose earlier answer was lost still learns receivedAt and the review.
      const replayed = storable.filter((d) => !stored.has(d.id));
      if (replayed.length > 0) {
        const { rows: existing } = await client.query<AttendanceRow>('select * from attendance where id = any($1::uuid[])', [replayed.map((d) => d.id)]);
        for (const row of existing) stored.set(row.id, attendanceDocument(row));
      }
    }
    const refusedAnswers = new Map((await recordRefusals(client, 'attendance', kiosk, refused)).map((d) => [d.id, d]));
    return docs.flatMap((d) => {
      const answer = stored.get(d.id) ?? refusedAnswers.get(d.id);
      return answer ? [answer] : [];
    });
  },
};

export function attendanceCreditSource(id: string, learnerId: string, session: Pick<SessionFacts, 'starts_at' | 'ends_at'>) {
  return {
    sourceType: 'attendance' as const,
    sourceId: id,
    learnerId,
    hours: scheduledHours(session.starts_at, session.ends_at),
    earnedAt: session.starts_at,
  };
}

interface SessionFacts {
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  check_in_opens_at: Date;
  roster: string[];
  deleted: boolean;
  approval: 'proposed' | 'approved' | 'refused';
}

async function loadSessions(client: pg.PoolClient, ids: string[]): Promise<Map<string, SessionFacts>> {
  const { rows } = await client.query<SessionFacts & { id: string }>(
    prepared(
      client,
      'attendance-sessions',
      'select id, site_id, starts_at, ends_at, check_in_opens_at, roster, deleted, approval from class_sessions where id = any($1::uuid[])',
      [ids],
    ),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function loadCards(client: pg.PoolClient, serials: number[]): Promise<Map<number, CardFacts>> {
  if (serials.length === 0) return new Map();
  const { rows } = await client.query<CardFacts & { serial: string }>(
    prepared(
      client,
      'attendance-cards',
      `select c.serial, c.learner_id, (select k.status from issuer_keys k where k.id = c.issuer_key_id) as key_status, r.revoked_at
         from learner_cards c left join card_revocations r on r.serial = c.serial
        where c.serial = any($1::bigint[])`,
      [serials],
    ),
  );
  return new Map(rows.map((r) => [Number(r.serial), r]));
}
