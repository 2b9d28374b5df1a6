import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import type { ClassSessionStatus } from '../../sync/protocol/class-session';

function todayBounds(now: Date): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(start.getTime() + 86_400_000);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** Staff open and close today's class sessions; at most one is open for check-in at a time. */
interface StaffSessionsScreenProps {
  onCheckIn: () => void;
  onManualCheckIn: () => void;
  onExit: () => void;
}

export function StaffSessionsScreen({ onCheckIn, onManualCheckIn, onExit }: StaffSessionsScreenProps) {
  const { t, i18n } = useTranslation();
  const { db, replication } = useKiosk();
  const { from, to } = todayBounds(new Date());
  const sessions = useObservable(
    () => db.class_sessions.find({ selector: { startsAt: { $gte: from, $lt: to } }, sort: [{ startsAt: 'asc' }] }).$,
    [],
    [db, from],
  );
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' });

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
        {sessions.map((s) => (
          <li key={s.id} className="session" data-testid="staff-session" data-status={s.status}>
            <h2>{s.title}</h2>
            <p>
              {t('staff.time', { start: time.format(new Date(s.startsAt)), end: time.format(new Date(s.endsAt)) })} ·{' '}
              <strong>{t(`staff.${s.status}`)}</strong>
            </p>
            <p>{t('staff.roster', { count: s.roster.length, checkedIn: attendance.filter((a) => a.classSessionId === s.id).length })}</p>
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
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="button secondary" onClick={() => replication.syncNow()}>
          {t('staff.syncNow')}
        </button>
        <button type="button" className="button secondary" onClick={onExit}>
          {t('staff.exit')}
        </button>
      </div>
    </ScreenFrame>
  );
}
