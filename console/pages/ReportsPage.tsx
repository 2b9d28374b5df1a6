import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportSummary } from '../../sync/protocol/console-api';
import { api, download } from '../api';
import { FigureChart } from '../Chart';
import { Field, Problem, SitePicker, today, useConsole, useLoad } from '../shared';

/** Charts of attendance, hours and active learners, and the CSV and xAPI exports for the same range. */
export function ReportsPage() {
  const { t } = useTranslation();
  const { operator, sites } = useConsole();
  const admin = operator.role === 'province-admin';
  const [siteId, setSiteId] = useState(admin ? '' : (sites[0]?.id ?? ''));
  const [from, setFrom] = useState(today(-56));
  const [to, setTo] = useState(today());
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const query = `${siteId ? `siteId=${encodeURIComponent(siteId)}&` : ''}from=${from}&to=${to}`;
  const { data, error } = useLoad(() => api<ReportSummary>('GET', `/reports/summary?${query}`), [query]);

  const charts = useMemo(() => {
    if (!data) return null;
    const weeks = [...new Set(data.attendancePerWeek.map((r) => r.week))].sort();
    const siteIds = [...new Set(data.attendancePerWeek.map((r) => r.siteId))].sort();
    return {
      attendance: {
        labels: weeks,
        series: siteIds.map((site) => ({
          label: sites.find((s) => s.id === site)?.name ?? site,
          values: weeks.map((week) => data.attendancePerWeek.find((r) => r.week === week && r.siteId === site)?.attendances ?? 0),
        })),
      },
      hours: { labels: data.hoursPerCourse.map((r) => r.courseId || t('reports.noCourse')), series: [{ label: t('reports.hours'), values: data.hoursPerCourse.map((r) => r.hours) }] },
      active: { labels: data.activeLearnersPerWeek.map((r) => r.week), series: [{ label: t('reports.learners'), values: data.activeLearnersPerWeek.map((r) => r.learners) }] },
    };
  }, [data, sites, t]);

  const save = (path: string, name: string) => {
    setDownloadError(null);
    download(`${path}?${query}`, name).catch(setDownloadError);
  };
  const fileSite = siteId || 'all';

  return (
    <>
      <h1>{t('reports.title')}</h1>
      <div className="toolbar">
        <SitePicker value={siteId} onChange={setSiteId} allowAll={admin} />
        <Field label={t('common.from')}>{(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field label={t('common.to')}>{(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
      </div>
      <div className="actions">
        <button type="button" onClick={() => save('/reports/attendance.csv', `attendance-${fileSite}-${from}-${to}.csv`)}>
          {t('reports.attendanceCsv')}
        </button>
        <button type="button" onClick={() => save('/reports/credits.csv', `credits-${fileSite}-${from}-${to}.csv`)}>
          {t('reports.creditsCsv')}
        </button>
        <button type="button" className="secondary" onClick={() => save('/xapi', `xapi-${fileSite}-${from}-${to}.json`)}>
          {t('reports.xapi')}
        </button>
      </div>
      <Problem error={error ?? downloadError} />
      {charts ? (
        <div className="charts">
          <FigureChart kind="bar" title={t('reports.attendancePerWeek')} labels={charts.attendance.labels} series={charts.attendance.series} />
          <FigureChart kind="bar" title={t('reports.hoursPerCourse')} labels={charts.hours.labels} series={charts.hours.series} />
          <FigureChart kind="line" title={t('reports.activeLearners')} labels={charts.active.labels} series={charts.active.series} />
        </div>
      ) : null}
    </>
  );
}
