import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PLATFORM_TIME_ZONE } from '../credit-ledger';
import { withSyncWrite } from '../database';
import { AdminConflict, AdminNotFound } from './sites';

export interface NewClassSessions {
  siteId: string;
  courseId?: string | undefined;
  title: string;
  teacher?: string | undefined;
  /** '' when the site has one room. */
  room?: string | undefined;
  startsAt: string;
  endsAt: string;
  /** The session repeats at the same time each week for this many weeks (1: a one-off). */
  weeks?: number | undefined;
}

export interface TimetableSession {
  id: string;
  siteId: string;
  title: string;
  teacher: string;
  room: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  seriesId: string | null;
}

/** A new session that would share its room with another at the same time. */
export class ClassSessionOverlap extends AdminConflict {
  constructor(
    readonly startsAt: Date,
    readonly other: { title: string; startsAt: Date; endsAt: Date },
  ) {
    super(
      `The session on ${startsAt.toISOString()} overlaps "${other.title}" (${other.startsAt.toISOString()} – ${other.endsAt.toISOString()}) in the same room.`,
    );
  }
}

const WEEK_MS = 7 * 24 * 60 * 60_000;

/**
 * The occurrences of a weekly class, by wall-clock time at the platform's time zone: Guangdong
 * keeps no daylight saving, so adding whole weeks in UTC keeps the local time too.
 */
export function weeklyOccurrences(startsAt: Date, endsAt: Date, weeks: number): { startsAt: Date; endsAt: Date }[] {
  return Array.from({ length: weeks }, (_, week) => ({
    startsAt: new Date(startsAt.getTime() + week * WEEK_MS),
    endsAt: new Date(endsAt.getTime() + week * WEEK_MS),
  }));
}

/**
 * Creates a one-off session or a weekly series, all or nothing: if any occurrence would share
 * its site and room with another session at the same time, none is created and the error
 * names the first clash. The overlap check and the inserts hold the sync write lock, so two
 * operators cannot book one room at once.
 */
export async function createClassSessions(pool: pg.Pool, request: NewClassSessions): Promise<{ ids: string[]; seriesId: string | null }> {
  const startsAt = new Date(request.startsAt);
  const endsAt = new Date(request.endsAt);
  if (!(endsAt.getTime() > startsAt.getTime())) throw new RangeError('A class session must end after it starts.');
  const weeks = request.weeks ?? 1;
  const room = request.room?.trim() ?? '';
  const occurrences = weeklyOccurrences(startsAt, endsAt, weeks);
  const seriesId = weeks > 1 ? randomUUID() : null;
  return withSyncWrite(pool, async (client) => {
    const { rows: site } = await client.query('select 1 from sites where id = $1', [request.siteId]);
    if (site.length === 0) throw new AdminNotFound(`Site ${request.siteId} does not exist.`);
    for (const occurrence of occurrences) {
      const { rows } = await client.query<{ title: string; starts_at: Date; ends_at: Date }>(
        `select title, starts_at, ends_at from class_sessions
          where site_id = $1 and room = $2 and not deleted and starts_at < $4 and ends_at > $3
          order by starts_at limit 1`,
        [request.siteId, room, occurrence.startsAt, occurrence.endsAt],
      );
      const clash = rows[0];
      if (clash) throw new ClassSessionOverlap(occurrence.startsAt, { title: clash.title, startsAt: clash.starts_at, endsAt: clash.ends_at });
    }
    const ids = occurrences.map(() => randomUUID());
    await client.query(
      `insert into class_sessions (id, site_id, course_id, title, teacher, room, series_id, starts_at, ends_at, status, roster, server_seq)
       select o.id, $1, $2, $3, $4, $5, $6, o.starts_at, o.ends_at, 'planned', '[]', nextval('sync_seq')
         from jsonb_to_recordset($7::jsonb) as o(id uuid, starts_at timestamptz, ends_at timestamptz)
        order by o.starts_at`,
      [
        request.siteId,
        request.courseId ?? null,
        request.title,
        request.teacher ?? '',
        room,
        seriesId,
        JSON.stringify(occurrences.map((o, i) => ({ id: ids[i], starts_at: o.startsAt.toISOString(), ends_at: o.endsAt.toISOString() }))),
      ],
    );
    return { ids, seriesId };
  });
}

/** A site's sessions between two days (inclusive, platform time zone), by start time. */
export async function siteTimetable(pool: pg.Pool, siteId: string, fromDay: string | undefined, toDay: string | undefined): Promise<TimetableSession[]> {
  const { rows } = await pool.query<{
    id: string;
    site_id: string;
    title: string;
    teacher: string;
    room: string;
    starts_at: Date;
    ends_at: Date;
    status: string;
    series_id: string | null;
  }>(
    `select id, site_id, title, teacher, room, starts_at, ends_at, status, series_id from class_sessions
      where site_id = $1 and not deleted
        and ($2::date is null or (starts_at at time zone $4)::date >= $2::date)
        and ($3::date is null or (starts_at at time zone $4)::date <= $3::date)
      order by starts_at, id limit 1000`,
    [siteId, fromDay ?? null, toDay ?? null, PLATFORM_TIME_ZONE],
  );
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    title: r.title,
    teacher: r.teacher,
    room: r.room,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    seriesId: r.series_id,
  }));
}
