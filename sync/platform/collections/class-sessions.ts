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

/** What a kiosk may change: everything but the platform's sequence number. */
function sameContent(a: ClassSession, b: ClassSession): boolean {
  return (
    a.title === b.title &&
    a.teacher === b.teacher &&
    Date.parse(a.startsAt) === Date.parse(b.startsAt) &&
    Date.parse(a.endsAt) === Date.parse(b.endsAt) &&
    a.status === b.status &&
    a._deleted === b._deleted &&
    JSON.stringify(a.roster) === JSON.stringify(b.roster)
  );
}

export const classSessionCollection: PlatformCollection<ClassSession> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<ClassSessionRow>(
      'select * from class_sessions where site_id = $1 and server_seq > $2 order by server_seq limit $3',
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map(toDocument);
  },

  /** Staff open and close sessions (or plan one) on the kiosk; the platform keeps the first writer. */
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
    const conflicts: ClassSession[] = [];
    for (const { newDocumentState: doc, assumedMasterState } of rows) {
      const masterRow = existing.get(doc.id);
      if (masterRow && masterRow.site_id !== kiosk.siteId) {
        throw new SyncRejection(403, `Class session ${doc.id} belongs to another site.`);
      }
      const master = masterRow ? toDocument(masterRow) : null;
      if (master && sameContent(master, doc)) continue;
      if (master && (!assumedMasterState || !sameContent(master, assumedMasterState))) {
        conflicts.push(master);
        continue;
      }
      await client.query(
        `insert into class_sessions (id, site_id, title, teacher, starts_at, ends_at, status, roster, deleted, server_seq, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('sync_seq'), now())
         on conflict (id) do update set title = excluded.title, teacher = excluded.teacher, starts_at = excluded.starts_at,
           ends_at = excluded.ends_at, status = excluded.status, roster = excluded.roster, deleted = excluded.deleted,
           server_seq = excluded.server_seq, updated_at = now()`,
        [doc.id, doc.siteId, doc.title, doc.teacher, doc.startsAt, doc.endsAt, doc.status, JSON.stringify(doc.roster), doc._deleted],
      );
    }
    return conflicts;
  },
};
