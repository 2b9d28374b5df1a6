import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/i18n';
import type { CourseExportOnDrive, CourseImportStatus, CourseSource, CourseSourcesAnswer } from '../../sync/protocol/course-import-api';
import { formatMegabytes } from '../staff/course-cache-api';
import { fetchCourseSources, fetchImportStatus, startCourseImport, type StartImportOutcome } from '../staff/course-import-api';

// Often enough that copying visibly moves; a drive copies far faster than most downloads.
const POLL_MS = 500;

/**
 * Staff bring courses on a USB drive (or the kiosk's configured import folder): pick the drive,
 * pick the courses, watch them copy. Everything is a tap; the host checks each course's
 * signature and files, and says by name what it refused.
 */
export function CourseImportPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [sources, setSources] = useState<CourseSource[] | null>(null);
  const [sourcePath, setSourcePath] = useState<string | null>(null);
  const [chosen, setChosen] = useState<{ exportPath: string; ids: string[] }>({ exportPath: '', ids: [] });
  const [status, setStatus] = useState<CourseImportStatus | null>(null);
  const [problem, setProblem] = useState<Exclude<StartImportOutcome, 'ok'> | 'unreachable' | null>(null);

  const show = useCallback((answer: CourseSourcesAnswer | null) => {
    setSources(answer?.sources ?? []);
    setProblem(answer ? null : 'unreachable');
    // One drive in the kiosk is the usual case: open it at once.
    const [only, ...others] = answer?.sources ?? [];
    if (only && others.length === 0) setSourcePath(only.path);
  }, []);

  useEffect(() => {
    fetchCourseSources().then(show, () => show(null));
  }, [show]);

  function look() {
    setSources(null);
    fetchCourseSources().then(show, () => show(null));
  }

  // Follow a running import until it finishes.
  useEffect(() => {
    if (status?.state !== 'running') return;
    const timer = setTimeout(() => {
      void fetchImportStatus()
        .then(setStatus)
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [status]);

  function toggle(exportPath: string, courseId: string) {
    setChosen((current) => {
      const ids = current.exportPath === exportPath ? current.ids : [];
      return { exportPath, ids: ids.includes(courseId) ? ids.filter((id) => id !== courseId) : [...ids, courseId] };
    });
  }

  async function start() {
    const outcome = await startCourseImport(chosen.exportPath, chosen.ids);
    if (outcome !== 'ok') {
      setProblem(outcome);
      return;
    }
    setProblem(null);
    setStatus(await fetchImportStatus().catch(() => ({ state: 'running' as const, courses: [] })));
  }

  const mb = (bytes: number) => formatMegabytes(bytes, lang);

  if (status) {
    const finished = status.state === 'finished';
    return (
      <section className="import-panel" data-testid="course-import" data-state={status.state} aria-live="polite">
        <h2>{finished ? t('courseimport.finished') : t('courseimport.copying-title')}</h2>
        <ul className="session-list">
          {status.courses.map((c) => (
            <li key={c.courseId} className="session" data-testid="import-course" data-course={c.courseId} data-state={c.state}>
              <h3>{c.courseId}</h3>
              <progress max={Math.max(c.totalBytes, 1)} value={c.receivedBytes} aria-label={t('courseimport.progress-label', { course: c.courseId })} />
              <p>
                {c.state === 'refused'
                  ? t(`courseimport.refused-${c.code ?? 'unreadable'}`)
                  : t(`courseimport.state-${c.state}`, { received: mb(c.receivedBytes), total: mb(c.totalBytes) })}
              </p>
              {c.state === 'refused' && c.message && (
                <p className="problem-text" data-testid="import-problem">
                  {c.message}
                </p>
              )}
            </li>
          ))}
        </ul>
        {finished && (
          <>
            <p className="lead">{t('courseimport.safe-to-remove')}</p>
            <button type="button" className="button" onClick={onClose}>
              {t('courseimport.done')}
            </button>
          </>
        )}
      </section>
    );
  }

  const source = sources?.find((s) => s.path === sourcePath) ?? null;
  return (
    <section className="import-panel" data-testid="course-import" data-state="choosing">
      <h2>{t('courseimport.title')}</h2>
      {problem && (
        <p className="problem-text" role="alert">
          {t(`courseimport.problem-${problem}`)}
        </p>
      )}
      {sources === null && <p className="lead">{t('courseimport.looking')}</p>}
      {sources?.length === 0 && <p className="lead">{t('courseimport.no-drives')}</p>}
      {sources && sources.length > 0 && (
        <div className="row" role="group" aria-label={t('courseimport.drives')}>
          {sources.map((s) => (
            <button
              key={s.path}
              type="button"
              className="button secondary"
              data-testid="import-source"
              aria-pressed={s.path === sourcePath}
              onClick={() => setSourcePath(s.path)}
            >
              {s.kind === 'removable' ? t('courseimport.drive', { label: s.label }) : t('courseimport.folder', { label: s.label })}
            </button>
          ))}
        </div>
      )}
      {source && source.exports.length === 0 && <p className="lead">{t('courseimport.no-courses')}</p>}
      {source?.exports.map((e) => (
        <ExportChoices key={e.path} drive={e} chosen={chosen.exportPath === e.path ? chosen.ids : []} onToggle={(id) => toggle(e.path, id)} />
      ))}
      <div className="row">
        <button type="button" className="button" data-testid="import-start" disabled={chosen.ids.length === 0} onClick={() => void start()}>
          {t('courseimport.start', { n: chosen.ids.length })}
        </button>
        <button type="button" className="button secondary" onClick={look}>
          {t('courseimport.look-again')}
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          {t('courseimport.cancel')}
        </button>
      </div>
    </section>
  );
}

function ExportChoices({ drive, chosen, onToggle }: { drive: CourseExportOnDrive; chosen: string[]; onToggle: (courseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  if (drive.unfinished) {
    return (
      <p className="problem-text" data-testid="import-unfinished">
        {t('courseimport.unfinished')}
      </p>
    );
  }
  return (
    <ul className="session-list">
      {drive.courses.map((c) => {
        const on = chosen.includes(c.id);
        return (
          <li key={c.id} className="session" data-testid="drive-course" data-course={c.id}>
            <button type="button" className="button secondary course-choice" aria-pressed={on} disabled={!!c.problem} onClick={() => onToggle(c.id)}>
              {c.title?.[lang] ?? c.id}
            </button>
            <p>
              {t('courseimport.size', { size: formatMegabytes(c.totalBytes, lang), version: c.version })}
              {c.cachedVersion !== null && ` · ${t('courseimport.on-kiosk', { version: c.cachedVersion })}`}
            </p>
            {c.problem && (
              <p className="problem-text" data-testid="drive-course-problem">
                {t('courseimport.cannot-import')} {c.problem}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
