import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { siteDayBounds, useSiteTime } from '../i18n/site-time';
import { useObservable } from '../use-observable';
import { waitingRecords$ } from '../db/waiting-records';
import { attendanceCsv, downloadText, rosterLines } from '../staff/attendance-csv';
import { useSiteLearners } from '../staff/use-site-learners';
import type { ClassSessionStatus } from '../../sync/protocol/class-session';

/** Sync health in plain words, and a button to try now rather than wait for the timer. */
function SyncStatus() {
  const { t, i18n } = useTranslation();
  const { db, replication } = useKiosk();
  const lastSuccessAt = useObservable(() => replication.lastSuccessAt$, null, [replication]);
  const lastError = useObservable(() => replication.lastError$, null, [replication]);
  const waiting = useObservable(() => waitingRecords$(db), 0, [db]);
  const when = useSiteTime().format({ dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <section className="sync-status" aria-labelledby="sync-status-title" data-testid="sync-status">
      <h2 id="sync-status-title">{t('staffmode.syncTitle')}</h2>
      <p data-testid="last-sync">
        {lastSuccessAt ? t('staffmode.lastSync', { time: when.format(lastSuccessAt) }) : t('staffmode.neverSynced')}
      </p>
      <p data-testid="sync-waiting" data-count={waiting}>
        {t('staffmode.waiting', { count: waiting, formatted: new Intl.NumberFormat(i18n.language).format(waiting) })}
      </p>
      {lastError && (
        <p className="problem-text" data-testid="sync-error" data-problem={lastError}>
          {t(`staffmode.problem-${lastError}`)}
        </p>
      )}
      <button type="button" className="button" onClick={() => replication.syncNow()}>
        {t('staff.syncNow')}
      </button>
    </section>
  );
}

/** Staff open and close today's class sessions; at most one is open for check-in at a time. */
interface StaffSessionsScreenProps {
  onCheckIn: () => void;
  onManualCheckIn: () => void;
  onCourses: () => void;
  onCards: () => void;
  onExit: () => void;
}

export function StaffSessionsScreen({ onCheckIn, onManualCheckIn, onCourses, onCards, onExit }: StaffSessionsScreenProps) {
  const { t, i18n } = useTranslation();
  const { db } = useKiosk();
  const siteTime = useSiteTime();
  const { from, to } = siteDayBounds(new Date(), siteTime.timeZone);
  const [rosterShown, setRosterShown] = useState<string | null>(null);
  const sessions = useObservable(
    () => db.class_sessions.find({ selector: { startsAt: { $gte: from, $lt: to } }, sort: [{ startsAt: 'asc' }] }).$,
    [],
    [db, from],
  );
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const { nameOf } = useSiteLearners();
  const time = siteTime.format({ hour: '2-digit', minute: '2-digit' });
  const number = new Intl.NumberFormat(i18n.language);

  async function setStatus(id: string, status: ClassSessionStatus) {
    if (status === 'open') {
      const others = await db.class_sessions.find({ selector: { status: 'open' } }).exec();
      for (const other of others) if (other.id !== id) await other.incrementalPatch({ status: 'closed' });
    }
    await db.class_sessions.findOne(id).incrementalPatch({ status });
  }

  return (
    <ScreenFrame title={t('staff.sessionsTitle')}>
      {sessions.length === 0 && <p className="lead">{t('staff.noSessions')}</p>}
      <ul className="session-list">
        {sessions.map((s) => {
          const lines = rosterLines(s, attendance, nameOf);
          const checkedIn = lines.filter((l) => l.attendance).length;
          const shown = rosterShown === s.id;
          return (
            <li key={s.id} className="session" data-testid="staff-session" data-status={s.status}>
              <h2>{s.title}</h2>
              <p>
                {t('staff.time', { start: time.format(new Date(s.startsAt)), end: time.format(new Date(s.endsAt)) })} ·{' '}
                <strong>{t(`staff.${s.status}`)}</strong>
              </p>
              <p>{t('staff.roster', { count: number.format(s.roster.length), checkedIn: number.format(checkedIn) })}</p>
              <div className="row">
                {s.status !== 'open' ? (
                  <button type="button" className="button" onClick={() => void setStatus(s.id, 'open')}>
                    {t('staff.openSession')}
                  </button>
                ) : (
                  <>
                    <button type="button" className="button" onClick={onCheckIn}>
                      {t('staff.goCheckIn')}
                    </button>
                    <button type="button" className="button secondary" onClick={onManualCheckIn}>
                      {t('manual.open')}
                    </button>
                    <button type="button" className="button secondary" onClick={() => void setStatus(s.id, 'closed')}>
                      {t('staff.closeSession')}
                    </button>
                  </>
                )}
                <button
                  type="button"
                  className="button secondary"
                  aria-expanded={shown}
                  aria-controls={`roster-${s.id}`}
                  onClick={() => setRosterShown(shown ? null : s.id)}
                >
                  {shown ? t('staffmode.hideRoster') : t('staffmode.showRoster')}
                </button>
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => downloadText(`attendance-${s.id}.csv`, attendanceCsv(s, lines), 'text/csv;charset=utf-8')}
                >
                  {t('staffmode.exportCsv')}
                </button>
              </div>
              {shown && (
                <ul className="roster" id={`roster-${s.id}`} data-testid="roster">
                  {lines.map((line) => (
                    <li key={line.learnerId} data-learner={line.learnerId} data-checked-in={line.attendance ? 'yes' : 'no'}>
                      {line.displayName && <span className="roster-name">{line.displayName}</span>}
                      <span className="roster-id">{line.learnerId}</span>
                      <span className={line.attendance ? 'roster-state in' : 'roster-state'}>
                        {line.attendance
                          ? t('staffmode.checkedInAt', { time: time.format(new Date(line.attendance.deviceTime)) })
                          : t('staffmode.notYet')}
                        {!line.onRoster && ` · ${t('staffmode.notOnRoster')}`}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      <SyncStatus />
      <div className="row">
        <button type="button" className="button secondary" onClick={onCards}>
          {t('cards.open')}
        </button>
        <button type="button" className="button secondary" onClick={onCourses}>
          {t('staffcourses.open')}
        </button>
        <button type="button" className="button secondary" onClick={onExit}>
          {t('staff.exit')}
        </button>
      </div>
    </ScreenFrame>
  );
}
