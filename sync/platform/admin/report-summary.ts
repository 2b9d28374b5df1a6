import type pg from 'pg';
import { PLATFORM_TIME_ZONE } from '../credit-ledger';
import type { ReportFilter } from './reports';

export interface ReportSummaryFilter extends Omit<ReportFilter, 'siteId'> {
  /** The sites to count; null for every site. */
  siteIds: string[] | null;
}

export interface ReportSummaryData {
  attendancePerWeek: { week: string; siteId: string; attendances: number }[];
  hoursPerCourse: { courseId: string; hours: number }[];
  activeLearnersPerWeek: { week: string; learners: number }[];
}

/**
 * The figures behind the console's charts: attendance per week (Monday, platform time zone) and
 * site, ledger hours per course (class sessions' courses and completed lessons), and learners
 * with any attendance each week. Aggregated in SQL so the answer stays small at any scale.
 */
export async function reportSummary(pool: pg.Pool, filter: ReportSummaryFilter): Promise<ReportSummaryData> {
  const params = [filter.siteIds, filter.fromDay ?? null, filter.toDay ?? null, PLATFORM_TIME_ZONE];
  const attendanceRows = `
      from attendance a join class_sessions s on s.id = a.class_session_id
     where ($1::text[] is null or a.site_id = any($1::text[]))
       and ($2::date is null or (s.starts_at at time zone $4)::date >= $2::date)
       and ($3::date is null or (s.starts_at at time zone $4)::date <= $3::date)`;
  const [perWeek, perCourse, active] = await Promise.all([
    // Counted per session first, so the week is worked out once a session, not once a record.
    pool.query<{ week: string; site_id: string; attendances: string }>(
      `select to_char(date_trunc('week', s.starts_at at time zone $4), 'YYYY-MM-DD') as week, s.site_id, sum(a.n) as attendances
         from (select class_session_id, count(*) as n from attendance
                where $1::text[] is null or site_id = any($1::text[]) group by 1) a
         join class_sessions s on s.id = a.class_session_id
        where ($2::date is null or (s.starts_at at time zone $4)::date >= $2::date)
          and ($3::date is null or (s.starts_at at time zone $4)::date <= $3::date)
        group by 1, 2 order by 1, 2`,
      params,
    ),
    pool.query<{ course_id: string; hours: string }>(
      `select course_id, sum(hours) as hours from (
         select coalesce(s.course_id, '') as course_id, c.hours
           from credit_ledger c join attendance a on c.source_type = 'attendance' and a.id = c.source_id
           join class_sessions s on s.id = a.class_session_id
          where ($1::text[] is null or a.site_id = any($1::text[]))
            and ($2::date is null or c.earned_on >= $2::date) and ($3::date is null or c.earned_on <= $3::date)
         union all
         select p.course_id, c.hours
           from credit_ledger c join lesson_progress p on c.source_type = 'lesson' and p.id = c.source_id
          where ($1::text[] is null or p.site_id = any($1::text[]))
            and ($2::date is null or c.earned_on >= $2::date) and ($3::date is null or c.earned_on <= $3::date)
       ) h group by 1 order by 2 desc, 1`,
      params.slice(0, 3),
    ),
    pool.query<{ week: string; learners: string }>(
      `select to_char(date_trunc('week', s.starts_at at time zone $4), 'YYYY-MM-DD') as week, count(distinct a.learner_id) as learners
       ${attendanceRows} group by 1 order by 1`,
      params,
    ),
  ]);
  return {
    attendancePerWeek: perWeek.rows.map((r) => ({ week: r.week, siteId: r.site_id, attendances: Number(r.attendances) })),
    hoursPerCourse: perCourse.rows.map((r) => ({ courseId: r.course_id, hours: Number(r.hours) })),
    activeLearnersPerWeek: active.rows.map((r) => ({ week: r.week, learners: Number(r.learners) })),
  };
}
