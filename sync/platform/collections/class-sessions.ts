import type { ClassSession, ClassSessionAnswer } from '../../protocol/class-session';
import { iso, recordRefusals, SyncRejection, uniqueById, type PlatformCollection, type Refused } from './platform-collection';

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

  /**
   * A kiosk changes only a session's status, and only with a statusVersion above the stored one
   * (the first push to reach a version wins; a stale or replayed push changes nothing). Times,
   * title, teacher, roster and deletion are the platform's: whatever a kiosk sends there is
   * ignored. Every row is answered with the stored session; a session the platform does not
   * have is refused (kiosk-proposed sessions are not taken yet).
   */
  async push(client, kiosk, pushed) {
    const docs = uniqueById(pushed).map((r) => r.newDocumentState);
    for (const doc of docs) {
      if (doc.siteId !== kiosk.siteId) {
        throw new SyncRejection(403, `Class session ${doc.id} is at site ${doc.siteId}; this kiosk is at ${kiosk.siteId}.`);
      }
    }
    const { rows: existingRows } = await client.query<ClassSessionRow>(
      'select * from class_sessions where id = any($1::uuid[]) for update',
      [docs.map((d) => d.id)],
    );
    const existing = new Map(existingRows.map((r) => [r.id, r]));
    const answers = new Map<string, ClassSession>();
    const refused: Refused<ClassSession>[] = [];
    for (const doc of docs) {
      const row = existing.get(doc.id);
      if (!row) {
        refused.push({ doc, reason: 'unknown-session', message: `Class session ${doc.id} does not exist on the platform; sessions are planned there.` });
        continue;
      }
      if (row.site_id !== kiosk.siteId) throw new SyncRejection(403, `Class session ${doc.id} belongs to another site.`);
      if (row.deleted || doc.statusVersion <= row.status_version) {
        answers.set(doc.id, toDocument(row));
        continue;
      }
      const { rows: updated } = await client.query<ClassSessionRow>(
        `update class_sessions set status = $2, status_version = $3, server_seq = next_sync_seq(), updated_at = now()
          where id = $1 returning *`,
        [doc.id, doc.status, doc.statusVersion],
      );
      answers.set(doc.id, toDocument(updated[0] as ClassSessionRow));
    }
    const refusedAnswers = new Map<string, ClassSessionAnswer>((await recordRefusals(client, 'class_sessions', kiosk, refused)).map((d) => [d.id, d]));
    return docs.flatMap((d): ClassSessionAnswer[] => {
      const answer = answers.get(d.id) ?? refusedAnswers.get(d.id);
      return answer ? [answer] : [];
    });
  },
};
