import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import { PLATFORM_TIME_ZONE } from '../credit-ledger';

export interface ReportFilter {
  siteId?: string | undefined;
  fromDay?: string | undefined;
  toDay?: string | undefined;
}

/**
 * Attendance per site, day and learner: one row per learner per day, with the sessions attended.
 * Only records the platform accepted or an operator approved count; held ones are in the review queue.
 */
export async function attendanceReportCsv(pool: pg.Pool, filter: ReportFilter): Promise<string> {
  const { rows } = await pool.query<{ site_id: string; day: string; learner_id: string; display_name: string | null; sessions: string }>(
    `select a.site_id, to_char(s.starts_at at time zone $4, 'YYYY-MM-DD') as day, a.learner_id, l.display_name, count(*) as sessions
       from attendance a
       join class_sessions s on s.id = a.class_session_id
       left join learners l on l.id = a.learner_id
      where a.credit_seq is not null
        and ($1::text is null or a.site_id = $1)
        and ($2::date is null or (s.starts_at at time zone $4)::date >= $2::date)
        and ($3::date is null or (s.starts_at at time zone $4)::date <= $3::date)
      group by 1, 2, 3, 4
      order by 1, 2, 3`,
    [filter.siteId ?? null, filter.fromDay ?? null, filter.toDay ?? null, PLATFORM_TIME_ZONE],
  );
  return stringify(
    rows.map((r) => [r.site_id, r.day, r.learner_id, r.display_name ?? '', Number(r.sessions)]),
    { header: true, columns: ['site_id', 'day', 'learner_id', 'display_name', 'sessions'] },
  );
}

/** Credits per site, day and learner, split into confirmed and provisional, from every source type. */
export async function creditsReportCsv(pool: pg.Pool, filter: ReportFilter): Promise<string> {
  const { rows } = await pool.query<{ site_id: string; day: string; learner_id: string; confirmed_hours: string; provisional_hours: string; credits: string }>(
    `select coalesce(a.site_id, p.site_id) as site_id, to_char(c.earned_on, 'YYYY-MM-DD') as day, c.learner_id,
            sum(c.hours) filter (where c.status = 'confirmed') as confirmed_hours,
            sum(c.hours) filter (where c.status = 'provisional') as provisional_hours,
            sum(c.credits) as credits
       from credit_ledger c
       left join attendance a on c.source_type = 'attendance' and a.id = c.source_id
       left join lesson_progress p on c.source_type = 'lesson' and p.id = c.source_id
      where ($1::text is null or coalesce(a.site_id, p.site_id) = $1)
        and ($2::date is null or c.earned_on >= $2::date)
        and ($3::date is null or c.earned_on <= $3::date)
      group by 1, 2, 3
      order by 1, 2, 3`,
    [filter.siteId ?? null, filter.fromDay ?? null, filter.toDay ?? null],
  );
  return stringify(
    rows.map((r) => [r.site_id, r.day, r.learner_id, Number(r.confirmed_hours ?? 0), Number(r.provisional_hours ?? 0), Number(r.credits)]),
    { header: true, columns: ['site_id', 'day', 'learner_id', 'confirmed_hours', 'provisional_hours', 'credits'] },
  );
}
