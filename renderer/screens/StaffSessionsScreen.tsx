import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { siteDayBounds, useSiteTime } from '../i18n/site-time';
import { useObservable } from '../use-observable';
import { setAsideRecords$, waitingRecords$ } from '../db/waiting-records';
import { attendanceCsv, downloadText, exportDays, rosterLines, sessionsInDayRange } from '../staff/attendance-csv';
import { useSiteLearners } from '../staff/use-site-learners';
import { setSessionStatus } from '../staff/session-status';
import { useNow } from '../use-now';
import { usePlatformContact } from '../staff/use-platform-contact';
import { hasEnded, isApprovedSession } from '../../sync/protocol/class-session';
import { isWaitingForPlatform } from '../../sync/protocol/sync-outcome';
import { LATE_CHECK_IN_REASONS } from '../../sync/protocol/attendance-record';
import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import { ProposeSessionForm } from './ProposeSessionForm';
import type { LateCheckIn } from './ManualCheckInScreen';

/** How far back and ahead staff see classes: late check-ins and exports reach back a month. */
const DAYS_BACK = 30;
const DAYS_AHEAD = 14;

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

/**
 * Said at the top of staff mode, where staff look first: a kiosk offline too long, or a clock set
 * back. It only informs; check-in goes on.
 */
function PlatformContactWarning() {
  const { t } = useTranslation();
  const { standing } = usePlatformContact();
  const when = useSiteTime().format({ dateStyle: 'medium', timeStyle: 'short' });
  if (standing.kind === 'too-long') {
    return (
      <p className="problem-text" role="alert" data-testid="offline-warning" data-days={standing.days}>
        {t('staffmode.offlineTooLong', { count: standing.days, time: when.format(standing.since) })}
      </p>
    );
  }
  if (standing.kind === 'clock-behind') {
    return (
      <p className="problem-text" role="alert" data-testid="clock-warning">
        {t('staffmode.clockBehind', { time: when.format(standing.since) })}
      </p>
    );
  }
  return null;
}

/** Sync health in plain words, and a button to try now rather than wait for the timer. */
function SyncStatus() {
  const { t, i18n } = useTranslation();
  const { db, replication } = useKiosk();
  const { lastContact } = usePlatformContact();
  const lastError = useObservable(() => replication.lastError$, null, [replication]);
  const waiting = useObservable(() => waitingRecords$(db), 0, [db]);
  const when = useSiteTime().format({ dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <section className="sync-status" aria-labelledby="sync-status-title" data-testid="sync-status">
      <h2 id="sync-status-title">{t('staffmode.syncTitle')}</h2>
      <p data-testid="last-sync">
        {lastContact ? t('staffmode.lastSync', { time: when.format(lastContact) }) : t('staffmode.neverSynced')}
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

/** Attendance of the sessions starting on a range of the site's days, as one CSV: both days picked from a list. */
function RangeExport({ today, attendance, nameOf }: {
  today: string;
  attendance: Parameters<typeof rosterLines>[1];
  nameOf: (id: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const { db } = useKiosk();
  const siteTime = useSiteTime();
  // Every class the kiosk holds, however old: an export may reach further back than the list above.
  const sessions = useObservable(() => db.class_sessions.find().$, [], [db]);
  const days = exportDays(sessions, today, siteTime.timeZone, DAYS_BACK, DAYS_AHEAD);
  const [fromDay, setFromDay] = useState(() => exportDays([], today, siteTime.timeZone, DAYS_BACK, 0)[0] as string);
  const [toDay, setToDay] = useState(today);
  const dayLabel = (d: string) => siteTime.format({ dateStyle: 'medium' }).format(new TZDate(`${d}T12:00:00`, siteTime.timeZone));
  const chosen = sessionsInDayRange(sessions, fromDay, toDay, siteTime.timeZone);
  return (
    <section className="range-export" aria-labelledby="range-export-title" data-testid="range-export">
      <h2 id="range-export-title">{t('staffmode.rangeTitle')}</h2>
      <div className="row">
        <DaySelect label={t('staffmode.rangeFrom')} days={days} dayLabel={dayLabel} value={fromDay} onChange={setFromDay} testId="range-from" />
        <DaySelect label={t('staffmode.rangeTo')} days={days} dayLabel={dayLabel} value={toDay} onChange={setToDay} testId="range-to" />
        <button
          type="button"
          className="button secondary"
          data-testid="range-export-button"
          data-count={chosen.length}
          disabled={fromDay > toDay}
          onClick={() =>
            downloadText(
              `attendance-${fromDay}-${toDay}.csv`,
              attendanceCsv(chosen.map((session) => ({ session, lines: rosterLines(session, attendance, nameOf) })), siteTime.timeZone),
              'text/csv;charset=utf-8',
            )
          }
        >
          {t('staffmode.rangeExport', { count: chosen.length })}
        </button>
      </div>
      {fromDay > toDay && <p className="problem-text">{t('staffmode.rangeBackwards')}</p>}
    </section>
  );
}

/** Staff pick why they check learners into a class after its end; the reason goes on every record. */
function LateReasonPicker({ onPick, onCancel }: { onPick: (reason: LateCheckIn['reason']) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="late-reasons" role="group" aria-label={t('staffmode.lateWhy')} data-testid="late-reasons">
      <p>{t('staffmode.lateWhy')}</p>
      <div className="row">
        {LATE_CHECK_IN_REASONS.map((reason) => (
          <button key={reason} type="button" className="button secondary" data-reason={reason} onClick={() => onPick(reason)}>
            {t(`staffmode.lateReason.${reason}`)}
          </button>
        ))}
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('staffmode.propose.cancel')}
        </button>
      </div>
    </div>
  );
}

/**
 * Staff open and close class sessions; at most one is open for check-in at a time. Listed: the
 * past 30 days and the next 14 (a past one can take a late check-in, with a reason), and every
 * session still open whatever its day, so none is left open unseen. Staff can also make a class
 * here, offline, as a proposal to the platform.
 */
interface StaffSessionsScreenProps {
  onCheckIn: () => void;
  onManualCheckIn: (late?: LateCheckIn) => void;
  onCourses: () => void;
  onCards: () => void;
  /** Records by USB (StaffUsbScreen). */
  onUsb: () => void;
  onExit: () => void;
}

export function StaffSessionsScreen({ onCheckIn, onManualCheckIn, onCourses, onCards, onUsb, onExit }: StaffSessionsScreenProps) {
  const { t, i18n } = useTranslation();
  const { db } = useKiosk();
  const siteTime = useSiteTime();
  const [rosterShown, setRosterShown] = useState<string | null>(null);
  const [lateFor, setLateFor] = useState<string | null>(null);
  const [proposing, setProposing] = useState(false);
  const [proposed, setProposed] = useState(0);
  const now = useNow(30_000);
  const { from: today } = siteDayBounds(now, siteTime.timeZone);
  const siteToday = new TZDate(Date.parse(today), siteTime.timeZone);
  const from = addDays(siteToday, -DAYS_BACK).toISOString();
  const to = addDays(siteToday, DAYS_AHEAD + 1).toISOString();
  const sessions = useObservable(
    () =>
      db.class_sessions.find({
        selector: { $or: [{ status: 'open' }, { startsAt: { $gte: from, $lt: to } }] },
        sort: [{ startsAt: 'asc' }],
      }).$,
    [],
    [db, from, to],
  );
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const { nameOf } = useSiteLearners();
  const time = siteTime.format({ hour: '2-digit', minute: '2-digit' });
  const day = siteTime.format({ dateStyle: 'medium' });
  const number = new Intl.NumberFormat(i18n.language);

  if (proposing) {
    return (
      <ScreenFrame title={t('staff.sessionsTitle')}>
        <ProposeSessionForm
          onDone={(saved) => {
            setProposed(saved);
            setProposing(false);
          }}
        />
      </ScreenFrame>
    );
  }

  return (
    <ScreenFrame title={t('staff.sessionsTitle')}>
      <PlatformContactWarning />
      <div className="row">
        <button type="button" className="button" data-testid="propose-open" onClick={() => setProposing(true)}>
          {t('staffmode.propose.open')}
        </button>
      </div>
      {proposed > 0 && (
        <p role="status" className="lead" data-testid="proposed-saved">
          {t('staffmode.propose.saved', { count: proposed })}
        </p>
      )}
      {sessions.length === 0 && <p className="lead">{t('staff.noSessions')}</p>}
      <ul className="session-list">
        {sessions.map((s) => {
          const lines = rosterLines(s, attendance, nameOf);
          const checkedIn = lines.filter((l) => l.attendance).length;
          const shown = rosterShown === s.id;
          const ended = hasEnded(s, now);
          return (
            <li key={s.id} className="session" data-testid="staff-session" data-status={s.status} data-approval={s.approval ?? 'approved'}>
              <h2>{s.title}</h2>
              {s.refusal && (
                <p className="problem-text" data-testid="session-refused" data-reason={s.refusal.reason}>
                  {t('staffmode.sessionRefused', { reason: t(`verdict.refusal.${s.refusal.reason}`) })}
                </p>
              )}
              {!isApprovedSession(s) && (
                <p className="session-approval" data-testid="session-approval">
                  {t(`staffmode.approval.${s.approval}`)}
                </p>
              )}
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
                    <button type="button" className="button secondary" onClick={() => onManualCheckIn()}>
                      {t('manual.open')}
                    </button>
                    <button type="button" className="button secondary" onClick={() => void setSessionStatus(db, s.id, 'closed')}>
                      {t('staff.closeSession')}
                    </button>
                  </>
                )}
                {ended && s.status !== 'open' && s.approval !== 'refused' && (
                  <button type="button" className="button secondary" data-testid="late-open" onClick={() => setLateFor(lateFor === s.id ? null : s.id)}>
                    {t('staffmode.lateOpen')}
                  </button>
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
                  onClick={() => downloadText(`attendance-${s.id}.csv`, attendanceCsv([{ session: s, lines }], siteTime.timeZone), 'text/csv;charset=utf-8')}
                >
                  {t('staffmode.exportCsv')}
                </button>
              </div>
              {lateFor === s.id && (
                <LateReasonPicker
                  onCancel={() => setLateFor(null)}
                  onPick={(reason) => {
                    setLateFor(null);
                    onManualCheckIn({ sessionId: s.id, reason });
                  }}
                />
              )}
              {shown && (
                <ul className="roster" id={`roster-${s.id}`} data-testid="roster">
                  {lines.map((line) => (
                    <li
                      key={line.learnerId}
                      data-learner={line.learnerId}
                      data-checked-in={line.attendance ? 'yes' : 'no'}
                      data-waiting={line.attendance && isWaitingForPlatform(line.attendance) ? 'yes' : 'no'}
                    >
                      {line.displayName && <span className="roster-name">{line.displayName}</span>}
                      <span className="roster-id">{line.learnerId}</span>
                      <span className={line.attendance ? 'roster-state in' : 'roster-state'}>
                        {line.attendance
                          ? t('staffmode.checkedInAt', { time: time.format(new Date(line.attendance.deviceTime)) })
                          : t('staffmode.notYet')}
                        {!line.onRoster && ` · ${t('staffmode.notOnRoster')}`}
                        {line.attendance && isWaitingForPlatform(line.attendance) && ` · ${t('staffmode.waitingUpload')}`}
                        {line.attendance?.lateReason && ` · ${t('staffmode.lateMark', { reason: t(`staffmode.lateReason.${line.attendance.lateReason}`) })}`}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      <RangeExport today={format(siteToday, 'yyyy-MM-dd')} attendance={attendance} nameOf={nameOf} />
      <SyncStatus />
      <div className="row">
        <button type="button" className="button secondary" onClick={onCards}>
          {t('cards.open')}
        </button>
        <button type="button" className="button secondary" onClick={onCourses}>
          {t('staffcourses.open')}
        </button>
        <button type="button" className="button secondary" onClick={onUsb} data-testid="open-usb">
          {t('usb.open')}
        </button>
        <button type="button" className="button secondary" onClick={onExit}>
          {t('staff.exit')}
        </button>
      </div>
    </ScreenFrame>
  );
}

interface DaySelectProps {
  label: string;
  days: string[];
  dayLabel: (day: string) => string;
  value: string;
  onChange: (day: string) => void;
  testId: string;
}

/** One end of the export's range: a list of days, picked without typing. */
function DaySelect({ label, days, dayLabel, value, onChange, testId }: DaySelectProps) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {days.map((d) => (
          <option key={d} value={d}>
            {dayLabel(d)}
          </option>
        ))}
      </select>
    </label>
  );
}
