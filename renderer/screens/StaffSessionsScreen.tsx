import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { siteDayBounds, useSiteTime } from '../i18n/site-time';
import { useObservable } from '../use-observable';
import { setAsideRecords$, waitingRecords$ } from '../db/waiting-records';
import { attendanceCsv, downloadText, rosterLines } from '../staff/attendance-csv';
import { useSiteLearners } from '../staff/use-site-learners';
import { setSessionStatus } from '../staff/session-status';
import { useNow } from '../use-now';
import { hasEnded } from '../../sync/protocol/class-session';

/** The records the platform set aside, each with its reason, so staff can follow them up. */
function SetAsideList() {
  const { t, i18n } = useTranslation();
  const { db } = useKiosk();
  const { nameOf } = useSiteLearners();
  const records = useObservable(() => setAsideRecords$(db), [], [db]);
  const sessions = useObservable(() => db.class_sessions.find().$, [], [db]);
  const number = new Intl.NumberFormat(i18n.language);
  const refused = records.filter((r) => r.kind === 'refused');
  const held = records.filter((r) => r.kind === 'held');
  const titleOf = new Map(sessions.map((s) => [s.id, s.title]));
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' });
  if (records.length === 0) return null;
  return (
    <>
      <p data-testid="sync-held" data-count={held.length}>
        {t('staffmode.held', { formatted: number.format(held.length) })}
      </p>
      <p data-testid="sync-refused" data-count={refused.length}>
        {t('staffmode.refused', { formatted: number.format(refused.length) })}
      </p>
      <h3>{t('staffmode.setAsideTitle')}</h3>
      <ul className="set-aside" data-testid="set-aside">
        {records.map((r) => {
          const who = nameOf(r.learnerId) ?? r.learnerId;
          const about = titleOf.get(r.about) ?? r.about;
          return (
            <li key={r.id} data-kind={r.kind} data-reason={r.kind === 'refused' ? r.reason : r.reasons.join(' ')}>
              {r.kind === 'refused'
                ? t('staffmode.refusedLine', { who, about, reason: t(`verdict.refusal.${r.reason}`) })
                : t('staffmode.heldLine', { who, about, reasons: list.format(r.reasons.map((reason) => t(`verdict.review.${reason}`))) })}
            </li>
          );
        })}
      </ul>
    </>
  );
}

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
      <SetAsideList />
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

/**
 * Staff open and close class sessions; at most one is open for check-in at a time. Listed: today's,
 * the upcoming ones, and every session still open whatever its day, so none is left open unseen.
 */
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
  const [rosterShown, setRosterShown] = useState<string | null>(null);
  const now = useNow(30_000);
  const { from } = siteDayBounds(now, siteTime.timeZone);
  const sessions = useObservable(
    () =>
      db.class_sessions.find({
        selector: { $or: [{ status: 'open' }, { startsAt: { $gte: from } }] },
        sort: [{ startsAt: 'asc' }],
      }).$,
    [],
    [db, from],
  );
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const { nameOf } = useSiteLearners();
  const time = siteTime.format({ hour: '2-digit', minute: '2-digit' });
  const day = siteTime.format({ dateStyle: 'medium' });
  const number = new Intl.NumberFormat(i18n.language);

  return (
    <ScreenFrame title={t('staff.sessionsTitle')}>
      {sessions.length === 0 && <p className="lead">{t('staff.noSessions')}</p>}
      <ul className="session-list">
        {sessions.map((s) => {
          const lines = rosterLines(s, attendance, nameOf);
          const checkedIn = lines.filter((l) => l.attendance).length;
          const shown = rosterShown === s.id;
          const ended = hasEnded(s, now);
          return (
            <li key={s.id} className="session" data-testid="staff-session" data-status={s.status}>
              <h2>{s.title}</h2>
              <p>
                {day.format(new Date(s.startsAt))}{' '}
                {t('staff.time', { start: time.format(new Date(s.startsAt)), end: time.format(new Date(s.endsAt)) })} ·{' '}
                <strong>{t(`staff.${s.status}`)}</strong>
                {ended && s.status === 'open' && ` · ${t('staff.ended')}`}
              </p>
              <p>{t('staff.roster', { count: number.format(s.roster.length), checkedIn: number.format(checkedIn) })}</p>
              <div className="row">
                {s.status !== 'open' ? (
                  // A class past its end cannot take check-ins, so it is not offered for opening.
                  !ended && (
                    <button type="button" className="button" onClick={() => void setSessionStatus(db, s.id, 'open')}>
                      {t('staff.openSession')}
                    </button>
                  )
                ) : (
                  <>
                    <button type="button" className="button" onClick={onCheckIn}>
                      {t('staff.goCheckIn')}
                    </button>
                    <button type="button" className="button secondary" onClick={onManualCheckIn}>
                      {t('manual.open')}
                    </button>
                    <button type="button" className="button secondary" onClick={() => void setSessionStatus(db, s.id, 'closed')}>
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
