import type pg from 'pg';
import { lockSyncScope } from '../database';
import type { ClassSession, ClassSessionAnswer, ClassSessionApproval } from '../../protocol/class-session';
import { iso, recordRefusals, SyncRejection, uniqueById, type PlatformCollection, type Refused } from './platform-collection';

interface ClassSessionRow {
  id: string;
  site_id: string;
  title: string;
  course_id: string | null;
  teacher: string;
  starts_at: Date;
  ends_at: Date;
  status: ClassSession['status'];
  status_version: number;
  check_in_opens_at: Date;
  roster: string[];
  deleted: boolean;
  proposed_by: string | null;
  approval: ClassSessionApproval;
  server_seq: string;
}

/** A kiosk may propose classes up to this long; anything longer is a mistake, not a class. */
const MAX_PROPOSED_HOURS = 12;

function toDocument(row: ClassSessionRow): ClassSession {
  return {
    id: row.id,
    siteId: row.site_id,
    title: row.title,
    ...(row.course_id === null ? {} : { courseId: row.course_id }),
    teacher: row.teacher,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    status: row.status,
    statusVersion: row.status_version,
    checkInOpensAt: iso(row.check_in_opens_at),
    roster: row.roster,
    ...(row.proposed_by === null ? {} : { proposedBy: row.proposed_by, approval: row.approval }),
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
   * A kiosk changes only a session's status (open or closed), and only with a statusVersion above the stored one
   * (the first push to reach a version wins; a stale or replayed push changes nothing). Times,
   * title, teacher, roster and deletion are the platform's: whatever a kiosk sends there is
   * ignored. Every row is answered with the stored session. A session the platform does not
   * have is taken as *proposed* when the kiosk names itself its proposer (a class made offline);
   * otherwise it is refused.
   */
  async push(client, kiosk, pushed) {
    const docs = uniqueById(pushed).map((r) => r.newDocumentState);
    for (const doc of docs) {
      if (doc.siteId !== kiosk.siteId) {
        throw new SyncRejection(403, `Class session ${doc.id} is at site ${doc.siteId}; this kiosk is at ${kiosk.siteId}.`);
      }
    }
    // Sessions are pulled only by their own site's kiosks.
    await lockSyncScope(client, { sites: [kiosk.siteId] });
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
        if (doc.proposedBy === undefined) {
          refused.push({ doc, reason: 'unknown-session', message: `Class session ${doc.id} does not exist on the platform; sessions are planned there.` });
          continue;
        }
        // A kiosk writes only records that name itself.
        if (doc.proposedBy !== kiosk.id) throw new SyncRejection(403, `Class session ${doc.id} names kiosk ${doc.proposedBy} as its proposer; this kiosk is ${kiosk.id}.`);
        const problem = proposalProblem(doc);
        if (problem) {
          refused.push({ doc, reason: 'invalid-record', message: problem });
          continue;
        }
        answers.set(doc.id, toDocument(await storeProposal(client, doc)));
        continue;
      }
      if (row.site_id !== kiosk.siteId) throw new SyncRejection(403, `Class session ${doc.id} belongs to another site.`);
      // Staff on a kiosk open and close classes; planning one is the platform's.
      if (row.deleted || doc.statusVersion <= row.status_version || doc.status === 'planned') {
        answers.set(doc.id, toDocument(row));
        continue;
      }
      const { rows: updated } = await client.query<ClassSessionRow>(
        `update class_sessions set status = $2, status_version = $3, server_seq = next_sync_seq(site_id), updated_at = now()
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

function proposalProblem(doc: ClassSession): string | null {
  if (doc._deleted) return `Class session ${doc.id} was deleted before the platform saw it.`;
  const hours = (Date.parse(doc.endsAt) - Date.parse(doc.startsAt)) / 3_600_000;
  if (!(hours > 0)) return `Class session ${doc.id} ends before it starts.`;
  if (hours > MAX_PROPOSED_HOURS) return `Class session ${doc.id} lasts ${hours} h; a proposed class lasts at most ${MAX_PROPOSED_HOURS} h.`;
  return null;
}

/**
 * Stores a kiosk's proposal as the kiosk made it (its status too: staff may have opened it
 * already), with the platform's own check-in window (stamped by the table's trigger from its
 * rule) and approval 'proposed' whatever the kiosk said. A course the platform does not know
 * (yet) is left off; the title still says what the class is.
 */
async function storeProposal(client: pg.PoolClient, doc: ClassSession): Promise<ClassSessionRow> {
  const { rows } = await client.query<ClassSessionRow>(
    `insert into class_sessions (id, site_id, course_id, title, teacher, starts_at, ends_at, status, status_version, roster, proposed_by, approval, server_seq)
     values ($1, $2, (select id from courses where id = $3), $4, $5, $6, $7, $8, $9, $10, $11, 'proposed', next_sync_seq($2))
     returning *`,
    [doc.id, doc.siteId, doc.courseId ?? null, doc.title, doc.teacher, doc.startsAt, doc.endsAt, doc.status, doc.statusVersion, JSON.stringify(doc.roster), doc.proposedBy],
  );
  return rows[0] as ClassSessionRow;
}
