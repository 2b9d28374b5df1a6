import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ClassSessionStatus } from '../../protocol/class-session';
import { withSyncWrite } from '../database';
import { AdminNotFound } from './sites';

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
