import type pg from 'pg';
import type { ReportFilter } from './reports';

/** Learners are identified to the credit bank by their learner number under this home page. */
const ACCOUNT_HOME_PAGE = 'https://xuexi.gd.gov.cn/learner';
const ACTIVITY_BASE = 'https://xuexi.gd.gov.cn/class-session/';
const PLATFORM_HOME_PAGE = 'https://xuexi.gd.gov.cn/platform';
const LESSON_BASE = 'https://xuexi.gd.gov.cn/course/';

const VERBS = {
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended', 'zh-CN': '出席' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed', 'zh-CN': '完成' } },
} as const;

export interface XapiStatement {
  id: string;
  version: '1.0.3';
  actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
  verb: (typeof VERBS)[keyof typeof VERBS];
  object: { objectType: 'Activity'; id: string; definition: { name: { 'zh-CN': string }; type: string } };
  context: { platform: string; extensions: Record<string, string> };
  timestamp: string;
  stored: string;
}

interface LearningRecordRow {
  id: string;
  learner_id: string;
  display_name: string | null;
  site_id: string;
  kiosk_id: string;
  received_at: Date;
}

/** One learning record as a statement: the record id is the statement id, the learner the actor. */
function learnerStatement(
  row: LearningRecordRow,
  verb: XapiStatement['verb'],
  object: XapiStatement['object'],
  timestamp: Date,
): XapiStatement {
  return {
    id: row.id,
    version: '1.0.3',
    actor: { objectType: 'Agent', name: row.display_name ?? row.learner_id, account: { homePage: ACCOUNT_HOME_PAGE, name: row.learner_id } },
    verb,
    object,
    context: {
      platform: 'Yuexue Kiosk',
      extensions: { [`${PLATFORM_HOME_PAGE}/site`]: row.site_id, [`${PLATFORM_HOME_PAGE}/kiosk`]: row.kiosk_id },
    },
    timestamp: timestamp.toISOString(),
    stored: row.received_at.toISOString(),
  };
}

/**
 * Attendance as xAPI 1.0.3 statements. The attendance id is the statement id, so sending the
 * export twice to an LRS is idempotent there too. timestamp is the class time, not the kiosk
 * clock, which the design does not trust. Only credited records (accepted, or approved from
 * review) are learning records for the credit bank.
 */
export async function attendanceStatements(pool: pg.Pool, filter: ReportFilter): Promise<XapiStatement[]> {
  const { rows } = await pool.query<{
    id: string; learner_id: string; display_name: string | null; site_id: string; kiosk_id: string;
    class_session_id: string; title: string; starts_at: Date; received_at: Date;
  }>(
    `select a.id, a.learner_id, l.display_name, a.site_id, a.kiosk_id, a.class_session_id, s.title, s.starts_at, a.received_at
       from attendance a
       join class_sessions s on s.id = a.class_session_id
       left join learners l on l.id = a.learner_id
      where a.credit_seq is not null
        and ($1::text is null or a.site_id = $1)
        and ($2::date is null or (s.starts_at at time zone 'Asia/Shanghai')::date >= $2::date)
        and ($3::date is null or (s.starts_at at time zone 'Asia/Shanghai')::date <= $3::date)
      order by a.server_seq`,
    [filter.siteId ?? null, filter.fromDay ?? null, filter.toDay ?? null],
  );
  return rows.map((r) =>
    learnerStatement(r, VERBS.attended, {
      objectType: 'Activity',
      id: `${ACTIVITY_BASE}${r.class_session_id}`,
      definition: { name: { 'zh-CN': r.title }, type: 'http://adlnet.gov/expapi/activities/meeting' },
    }, r.starts_at),
  );
}

/**
 * Credited lesson completions as "completed" statements, the lesson-progress record's id as statement id.
 * timestamp is when the platform received the completion: the kiosk clock is not trusted.
 */
export async function lessonCompletionStatements(pool: pg.Pool, filter: ReportFilter): Promise<XapiStatement[]> {
  const { rows } = await pool.query<{
    id: string; learner_id: string; display_name: string | null; site_id: string; kiosk_id: string;
    course_id: string; lesson_id: string; course_title: string | null; received_at: Date;
  }>(
    `select p.id, p.learner_id, l.display_name, p.site_id, p.kiosk_id, p.course_id, p.lesson_id,
            c.manifest->'title'->>'zh-CN' as course_title, p.received_at
       from lesson_progress p
       join courses c on c.id = p.course_id
       left join learners l on l.id = p.learner_id
      where p.credit_seq is not null
        and ($1::text is null or p.site_id = $1)
        and ($2::date is null or (p.received_at at time zone 'Asia/Shanghai')::date >= $2::date)
        and ($3::date is null or (p.received_at at time zone 'Asia/Shanghai')::date <= $3::date)
      order by p.server_seq`,
    [filter.siteId ?? null, filter.fromDay ?? null, filter.toDay ?? null],
  );
  return rows.map((r) =>
    learnerStatement(r, VERBS.completed, {
      objectType: 'Activity',
      id: `${LESSON_BASE}${r.course_id}/lesson/${r.lesson_id}`,
      definition: { name: { 'zh-CN': r.course_title ?? r.course_id }, type: 'http://adlnet.gov/expapi/activities/lesson' },
    }, r.received_at),
  );
}

/** Every learning record in the filter as xAPI: attendance, then lesson completions. */
export async function learningRecordStatements(pool: pg.Pool, filter: ReportFilter): Promise<XapiStatement[]> {
  return [...(await attendanceStatements(pool, filter)), ...(await lessonCompletionStatements(pool, filter))];
}
