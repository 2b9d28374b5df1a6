import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { CourseImportPanel } from './CourseImportPanel';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import type { CoursePackage } from '../../sync/protocol/course-package';
import type { Language } from '../i18n/i18n';
import {
  fetchCacheListing,
  formatMegabytes,
  removeCourse,
  setPinned,
  startDownload,
  type CacheActionOutcome,
} from '../staff/course-cache-api';
import type { CacheListing } from '../../sync/protocol/kiosk-host-api';

// Often enough that a download's progress visibly moves, rarely enough to stay idle on a 2-core kiosk.
const POLL_MS = 1000;

/** Staff see what the kiosk stores and download, pin or remove each catalog course. */
export function StaffCoursesScreen({ onBack }: { onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const { db } = useKiosk();
  const records = useObservable(() => db.courses.find().$, [], [db]);
  const [listing, setListing] = useState<CacheListing | null>(null);
  const [problem, setProblem] = useState<Exclude<CacheActionOutcome, 'ok'> | null>(null);
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await fetchCacheListing();
        if (!stopped) setListing(next);
      } catch {
        // The host is local; a missed poll is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  async function act(action: Promise<CacheActionOutcome>) {
    const result = await action;
    setProblem(result === 'ok' ? null : result);
    setListing(await fetchCacheListing().catch(() => listing));
  }

  const courses = records.map((r) => r.manifest as CoursePackage);
  return (
    <ScreenFrame title={t('staffcourses.title')} onBack={onBack}>
      <p className="lead" data-testid="cache-storage" data-used={listing?.usedBytes}>
        {listing
          ? t('staffcourses.storage', { used: formatMegabytes(listing.usedBytes, lang), budget: formatMegabytes(listing.budgetBytes, lang) })
          : t('staffcourses.loading')}
      </p>
      {problem && (
        <p className="problem-text" role="alert">
          {t(`staffcourses.problem-${problem}`)}
        </p>
      )}
      {importing ? (
        <CourseImportPanel onClose={() => setImporting(false)} />
      ) : (
        <div className="row">
          <button type="button" className="button" onClick={() => setImporting(true)}>
            {t('courseimport.open')}
          </button>
        </div>
      )}
      <ul className="session-list">
        {courses.map((course) => {
          const row = listing?.courses.find((c) => c.id === course.id);
          const state = row?.state ?? 'absent';
          return (
            <li key={course.id} className="session" data-testid="cache-course" data-course={course.id} data-state={state} data-pinned={row?.pinned ? 'yes' : 'no'}>
              <h2>{course.title[lang]}</h2>
              <p>
                {state === 'downloading'
                  ? t('staffcourses.downloading', {
                      received: formatMegabytes(row?.receivedBytes ?? 0, lang),
                      total: formatMegabytes(row?.totalBytes ?? 0, lang),
                    })
                  : t(`staffcourses.state-${state}`, { size: formatMegabytes(row?.bytes ?? 0, lang) })}
                {row?.pinned && ` · ${t('staffcourses.pinned')}`}
              </p>
              <div className="row">
                {(state === 'absent' || state === 'failed') && (
                  <button type="button" className="button" onClick={() => void act(startDownload(course))}>
                    {t('staffcourses.download')}
                  </button>
                )}
                {row && state === 'ready' && (
                  <button type="button" className="button secondary" onClick={() => void act(setPinned(course.id, !row.pinned))}>
                    {row.pinned ? t('staffcourses.unpin') : t('staffcourses.pin')}
                  </button>
                )}
                {row && state !== 'downloading' && (
                  <button type="button" className="button secondary" onClick={() => void act(removeCourse(course.id))}>
                    {t('staffcourses.remove')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </ScreenFrame>
  );
}
