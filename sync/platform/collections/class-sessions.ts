import type { ClassSession } from '../../protocol/class-session';
import { iso, SyncRejection, uniqueById, type PlatformCollection } from './platform-collection';

interface ClassSessionRow {
  id: string;
  site_id: string;
  title: string;
  teacher: string;
  starts_at: Date;
  ends_at: Date;
  status: ClassSession['status'];
  status_version: number;
  check_in_opens_at: Date;
  roster: string[];
  deleted: boolean;
  server_seq: string;
}

function toDocument(row: ClassSessionRow): ClassSession {
  return {
    id: row.id,
    siteId: row.site_id,
    title: row.title,
    teacher: row.teacher,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    status: row.status,
    statusVersion: row.status_version,
    checkInOpensAt: iso(row.check_in_opens_at),
    roster: row.roster,
    serverSeq: Number(row.server_seq),
    _deleted: row.deleted,
  };
}

export const classSessionCollection: PlatformCollection<ClassSession> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<ClassSessionRow>(
      'select * from class_sessions where site_id = $1 and server_seq > $2 order by server_seq limit $3',
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(toDocument);
  },

  /** Staff open and close sessions (or plan one) on the kiosk; the platform versions the status. */
  async push(client, kiosk, pushed) {
    const rows = uniqueById(pushed);
    for (const { newDocumentState: doc } of rows) {
      if (doc.siteId !== kiosk.siteId) {
        throw new SyncRejection(403, `Class session ${doc.id} is at site ${doc.siteId}; this kiosk is at ${kiosk.siteId}.`);
      }
      if (Date.parse(doc.endsAt) <= Date.parse(doc.startsAt)) {
        throw new SyncRejection(422, `Class session ${doc.id}: endsAt must be after startsAt.`);
      }
    }
    const { rows: existingRows } = await client.query<ClassSessionRow>(
      'select * from class_sessions where id = any($1::uuid[]) for update',
      [rows.map((r) => r.newDocumentState.id)],
    );
    const existing = new Map(existingRows.map((r) => [r.id, r]));
    for (const { newDocumentState: doc } of rows) {
      const masterRow = existing.get(doc.id);
      if (masterRow && masterRow.site_id !== kiosk.siteId) {
        throw new SyncRejection(403, `Class session ${doc.id} belongs to another site.`);
      }
      if (!masterRow) {
        await client.query(
          `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, status_version, roster, deleted, server_seq, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nextval('sync_seq'), now())`,
          [doc.id, doc.siteId, doc.title, doc.teacher, doc.startsAt, doc.endsAt, doc.status, doc.statusVersion, JSON.stringify(doc.roster), doc._deleted],
        );
      } else if (doc.statusVersion > masterRow.status_version) {
        // A kiosk changes only the status, and only with a version above the stored one: a stale
        // push replayed late can never undo a newer change (the first to reach a version wins).
        await client.query(
          `update class_sessions set status = $2, status_version = $3, server_seq = nextval('sync_seq'), updated_at = now() where id = $1`,
          [doc.id, doc.status, doc.statusVersion],
        );
      }
    }
    // Every pushed row that differs from the stored session is answered with it.
    const { rows: storedRows } = await client.query<ClassSessionRow>('select * from class_sessions where id = any($1::uuid[])', [
      rows.map((r) => r.newDocumentState.id),
    ]);
    const sent = new Map(rows.map((r) => [r.newDocumentState.id, r.newDocumentState]));
    return storedRows.map(toDocument).filter((stored) => {
      const doc = sent.get(stored.id) as ClassSession;
      return doc.status !== stored.status || doc.statusVersion !== stored.statusVersion || doc.serverSeq !== stored.serverSeq;
    });
  },
};
