import type pg from 'pg';
import type { ReportFilter } from './reports';

/** Learners are identified to the credit bank by their learner number under this home page. */
const ACCOUNT_HOME_PAGE = 'https://xuexi.gd.gov.cn/learner';
const ACTIVITY_BASE = 'https://xuexi.gd.gov.cn/class-session/';
const PLATFORM_HOME_PAGE = 'https://xuexi.gd.gov.cn/platform';

export interface XapiStatement {
  id: string;
  version: '1.0.3';
  actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
  verb: { id: 'http://adlnet.gov/expapi/verbs/attended'; display: { 'en-US': 'attended'; 'zh-CN': '出席' } };
  object: { objectType: 'Activity'; id: string; definition: { name: { 'zh-CN': string }; type: string } };
  context: { platform: string; extensions: Record<string, string> };
  timestamp: string;
  stored: string;
}

/**
 * Attendance as xAPI 1.0.3 statements. The attendance id is the statement id, so sending the
 * export twice to an LRS is idempotent there too. timestamp is the class time, not the kiosk
 * clock, which the design does not trust.
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
      where ($1::text is null or a.site_id = $1)
        and ($2::date is null or (s.starts_at at time zone 'Asia/Shanghai')::date >= $2::date)
        and ($3::date is null or (s.starts_at at time zone 'Asia/Shanghai')::date <= $3::date)
      order by a.server_seq`,
    [filter.siteId ?? null, filter.fromDay ?? null, filter.toDay ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    version: '1.0.3',
    actor: { objectType: 'Agent', name: r.display_name ?? r.learner_id, account: { homePage: ACCOUNT_HOME_PAGE, name: r.learner_id } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended', 'zh-CN': '出席' } },
    object: {
      objectType: 'Activity',
      id: `${ACTIVITY_BASE}${r.class_session_id}`,
      definition: { name: { 'zh-CN': r.title }, type: 'http://adlnet.gov/expapi/activities/meeting' },
    },
    context: {
      platform: 'Yuexue Kiosk',
      extensions: { [`${PLATFORM_HOME_PAGE}/site`]: r.site_id, [`${PLATFORM_HOME_PAGE}/kiosk`]: r.kiosk_id },
    },
    timestamp: r.starts_at.toISOString(),
    stored: r.received_at.toISOString(),
  }));
}
