import type pg from 'pg';
import { attendanceRecordId, type AttendanceRecord } from '../../protocol/attendance-record';
import { scheduledHours } from '../../protocol/class-session';
import { addLedgerEntries } from '../credit-ledger';
import { iso, SyncRejection, uniqueById, type PlatformCollection, type PushRow } from './platform-collection';

interface AttendanceRow {
  id: string;
  class_session_id: string;
  learner_id: string;
  site_id: string;
  kiosk_id: string;
  method: AttendanceRecord['method'];
  card_serial: string | null;
  on_roster: boolean;
  device_time: Date;
  received_at: Date;
  server_seq: string;
}

function toDocument(row: AttendanceRow): AttendanceRecord {
  return {
    id: row.id,
    classSessionId: row.class_session_id,
    learnerId: row.learner_id,
    siteId: row.site_id,
    kioskId: row.kiosk_id,
    method: row.method,
    ...(row.card_serial === null ? {} : { cardSerial: Number(row.card_serial) }),
    onRoster: row.on_roster,
    deviceTime: iso(row.device_time),
    receivedAt: iso(row.received_at),
    serverSeq: Number(row.server_seq),
    _deleted: false,
  };
}

/** An attendance record never changes once stored; a replay with the same facts is not a conflict. */
function sameFacts(a: AttendanceRecord, b: AttendanceRecord): boolean {
  return (
    a.classSessionId === b.classSessionId &&
    a.learnerId === b.learnerId &&
    a.kioskId === b.kioskId &&
    a.method === b.method &&
    a.onRoster === b.onRoster &&
    Date.parse(a.deviceTime) === Date.parse(b.deviceTime)
  );
}

function checkScope(rows: PushRow<AttendanceRecord>[], kiosk: { id: string; siteId: string }): void {
  for (const { newDocumentState: doc } of rows) {
    if (doc.kioskId !== kiosk.id || doc.siteId !== kiosk.siteId) {
      throw new SyncRejection(
        403,
        `Attendance ${doc.id} names kiosk ${doc.kioskId} at site ${doc.siteId}; this kiosk is ${kiosk.id} at ${kiosk.siteId}.`,
      );
    }
    if (doc._deleted) throw new SyncRejection(422, `Attendance ${doc.id}: attendance records cannot be deleted.`);
    if (doc.id !== attendanceRecordId(doc.classSessionId, doc.learnerId)) {
      throw new SyncRejection(422, `Attendance ${doc.id}: id must be derived from classSessionId and learnerId.`);
    }
  }
}

export const attendanceCollection: PlatformCollection<AttendanceRecord> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<AttendanceRow>(
      `select * from attendance where site_id = $1 and server_seq > $2 order by server_seq limit $3`,
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(toDocument);
  },

  async push(client, kiosk, pushed) {
    const rows = uniqueById(pushed);
    checkScope(rows, kiosk);
    const docs = rows.map((r) => r.newDocumentState);
    const sessions = await loadSessions(client, [...new Set(docs.map((d) => d.classSessionId))]);
    for (const doc of docs) {
      const session = sessions.get(doc.classSessionId);
      if (!session) throw new SyncRejection(422, `Attendance ${doc.id}: class session ${doc.classSessionId} is unknown.`);
      if (session.site_id !== kiosk.siteId) {
        throw new SyncRejection(403, `Attendance ${doc.id}: class session ${doc.classSessionId} belongs to another site.`);
      }
    }
    // Insert first and look up only what was already there: in the common case (a kiosk's first
    // push of new check-ins) that saves a query while the sync write lock is held.
    const { rows: inserted } = await client.query<{ id: string; class_session_id: string; learner_id: string }>(
      `insert into attendance (id, class_session_id, learner_id, site_id, kiosk_id, method, card_serial, on_roster, device_time, server_seq)
       select r.id, r.class_session_id, r.learner_id, r.site_id, r.kiosk_id, r.method, r.card_serial, r.on_roster, r.device_time, nextval('sync_seq')
         from jsonb_to_recordset($1::jsonb) as r(id uuid, class_session_id uuid, learner_id text, site_id text, kiosk_id text,
                                                 method text, card_serial bigint, on_roster boolean, device_time timestamptz)
       on conflict do nothing
       returning id, class_session_id, learner_id`,
      [
        JSON.stringify(
          docs.map((d) => ({
            id: d.id,
            class_session_id: d.classSessionId,
            learner_id: d.learnerId,
            site_id: d.siteId,
            kiosk_id: d.kioskId,
            method: d.method,
            card_serial: d.cardSerial ?? null,
            on_roster: d.onRoster,
            device_time: d.deviceTime,
          })),
        ),
      ],
    );
    await addLedgerEntries(
      client,
      inserted.map((row) => {
        // Every inserted row's session was loaded and checked above.
        const session = sessions.get(row.class_session_id) as SessionFacts;
        return {
          sourceType: 'attendance' as const,
          sourceId: row.id,
          learnerId: row.learner_id,
          hours: scheduledHours(session.starts_at, session.ends_at),
          earnedAt: session.starts_at,
        };
      }),
    );
    const insertedIds = new Set(inserted.map((row) => row.id));
    const replayed = docs.filter((d) => !insertedIds.has(d.id));
    if (replayed.length === 0) return [];
    const { rows: existingRows } = await client.query<AttendanceRow>('select * from attendance where id = any($1::uuid[])', [
      replayed.map((d) => d.id),
    ]);
    const existing = new Map(existingRows.map((r) => [r.id, toDocument(r)]));
    // A replay with the same facts is not a conflict; different facts return the stored master.
    return replayed.flatMap((doc) => {
      const master = existing.get(doc.id);
      return master && !sameFacts(master, doc) ? [master] : [];
    });
  },
};

interface SessionFacts {
  site_id: string;
  starts_at: Date;
  ends_at: Date;
}

async function loadSessions(client: pg.PoolClient, ids: string[]): Promise<Map<string, SessionFacts>> {
  const { rows } = await client.query<SessionFacts & { id: string }>(
    'select id, site_id, starts_at, ends_at from class_sessions where id = any($1::uuid[]) and not deleted',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
