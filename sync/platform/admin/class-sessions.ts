import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ClassSessionStatus } from '../../protocol/class-session';
import { withSyncWrite } from '../database';
import { approveHeldRecordWith } from './review';
import { AdminConflict, AdminNotFound } from './sites';

export interface NewClassSession {
  siteId: string;
  courseId?: string | undefined;
  title: string;
  teacher?: string | undefined;
  startsAt: string;
  endsAt: string;
  status?: ClassSessionStatus | undefined;
  roster?: string[] | undefined;
}

/** A new sequence number is what makes the site's kiosks pull the session. */
export async function createClassSession(pool: pg.Pool, session: NewClassSession): Promise<{ id: string }> {
  if (Date.parse(session.endsAt) <= Date.parse(session.startsAt)) throw new RangeError('endsAt must be after startsAt.');
  const id = randomUUID();
  await withSyncWrite(pool, async (client) => {
    const { rows } = await client.query('select 1 from sites where id = $1', [session.siteId]);
    if (rows.length === 0) throw new AdminNotFound(`Site ${session.siteId} does not exist.`);
    await client.query(
      `insert into class_sessions (id, site_id, course_id, title, teacher, starts_at, ends_at, status, roster, server_seq)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, next_sync_seq())`,
      [id, session.siteId, session.courseId ?? null, session.title, session.teacher ?? '', session.startsAt, session.endsAt, session.status ?? 'planned', JSON.stringify(session.roster ?? [])],
    );
  });
  return { id };
}

export async function setClassSessionStatus(pool: pg.Pool, id: string, status: ClassSessionStatus): Promise<void> {
  await withSyncWrite(pool, async (client) => {
    const { rowCount } = await client.query(
      `update class_sessions set status = $2, status_version = status_version + 1, server_seq = next_sync_seq(), updated_at = now()
        where id = $1 and not deleted`,
      [id, status],
    );
    if (!rowCount) throw new AdminNotFound(`Class session ${id} does not exist.`);
  });
}

export interface ProposedSession {
  id: string;
  siteId: string;
  proposedBy: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: ClassSessionStatus;
  /** Check-ins into it, held until the session is approved. */
  heldCheckIns: number;
}

/** Sessions kiosks made offline that no operator has decided on yet, oldest class first. */
export async function proposedSessions(pool: pg.Pool, siteId?: string): Promise<ProposedSession[]> {
  const { rows } = await pool.query<{
    id: string; site_id: string; proposed_by: string; title: string; starts_at: Date; ends_at: Date; status: ClassSessionStatus; held: string;
  }>(
    `select s.id, s.site_id, s.proposed_by, s.title, s.starts_at, s.ends_at, s.status,
            (select count(*) from attendance a where a.class_session_id = s.id and a.review_status = 'held') as held
       from class_sessions s
      where s.approval = 'proposed' and not s.deleted and ($1::text is null or s.site_id = $1)
      order by s.starts_at, s.id`,
    [siteId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    proposedBy: r.proposed_by,
    title: r.title,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: r.status,
    heldCheckIns: Number(r.held),
  }));
}

async function decide(client: pg.PoolClient, id: string, approval: 'approved' | 'refused'): Promise<void> {
  const { rows } = await client.query<{ approval: string }>('select approval from class_sessions where id = $1 and not deleted for update', [id]);
  const row = rows[0];
  if (!row) throw new AdminNotFound(`Class session ${id} does not exist.`);
  if (row.approval !== 'proposed') throw new AdminConflict(`Class session ${id} is not a proposal waiting for a decision (${row.approval}).`);
  await client.query(
    `update class_sessions set approval = $2, approval_decided_at = now(), server_seq = next_sync_seq(), updated_at = now() where id = $1`,
    [id, approval],
  );
}

/** Check-ins held because their session was not approved, in the order the platform stored them (its write sequence). */
async function heldForSession(client: pg.PoolClient, id: string): Promise<{ id: string; reasons: string[] }[]> {
  const { rows } = await client.query<{ id: string; review_reasons: string[] }>(
    `select id, review_reasons from attendance
      where class_session_id = $1 and review_status = 'held' and 'session-not-approved' = any(review_reasons)
      order by server_seq for update`,
    [id],
  );
  return rows.map((r) => ({ id: r.id, reasons: r.review_reasons }));
}

/**
 * An operator approves a class a kiosk made: its check-ins held only for that reason are
 * approved through the review queue's own path (approveHeldRecordWith), one by one in the order
 * they were received, so each takes its credit_seq now and the one credit rule caps its day.
 * A check-in held for other reasons too loses 'session-not-approved' and stays held for those.
 */
export async function approveProposedSession(pool: pg.Pool, id: string): Promise<{ released: number; stillHeld: number; creditedHours: number }> {
  return withSyncWrite(pool, async (client) => {
    await decide(client, id, 'approved');
    let released = 0;
    let stillHeld = 0;
    let creditedHours = 0;
    for (const record of await heldForSession(client, id)) {
      const others = record.reasons.filter((r) => r !== 'session-not-approved');
      if (others.length === 0) {
        creditedHours += (await approveHeldRecordWith(client, record.id)).creditedHours;
        released += 1;
      } else {
        await client.query(`update attendance set review_reasons = $2, server_seq = next_sync_seq() where id = $1`, [record.id, others]);
        stillHeld += 1;
      }
    }
    return { released, stillHeld, creditedHours };
  });
}

/** An operator refuses a class a kiosk made: its held check-ins are refused with it (kept, earning nothing). */
export async function refuseProposedSession(pool: pg.Pool, id: string): Promise<{ refused: number }> {
  return withSyncWrite(pool, async (client) => {
    await decide(client, id, 'refused');
    const held = await heldForSession(client, id);
    await client.query(
      `update attendance set review_status = 'refused', reviewed_at = now(), server_seq = next_sync_seq() where id = any($1::uuid[])`,
      [held.map((r) => r.id)],
    );
    return { refused: held.length };
  });
}
