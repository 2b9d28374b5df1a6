import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { recordAttendance, type CheckInResult } from '../checkin/check-in';
import { LEARNER_NUMBER_DIGITS, LEARNER_NUMBER_PREFIX, learnerIdFromDigits } from '../checkin/learner-number';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/**
 * Staff check in a learner who forgot their card: key in the learner number on a large keypad,
 * or tap the number in the list of those on the roster not yet checked in. Names are not on the
 * kiosk yet, so learners are shown by number.
 */
export function ManualCheckInScreen({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { db, config } = useKiosk();
  const session = useObservable(() => db.class_sessions.findOne({ selector: { status: 'open' } }).$, null, [db]);
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const [digits, setDigits] = useState('');
  const [result, setResult] = useState<CheckInResult | null>(null);

  async function checkIn(learnerId: string) {
    const open = session?.toMutableJSON();
    if (!open) return setResult({ kind: 'rejected', reason: 'no-open-session' });
    setResult(await recordAttendance(db, { ...open, _deleted: false }, config, learnerId, learnerId, 'manual', new Date()));
    setDigits('');
  }

  const typedId = learnerIdFromDigits(digits);
  const checkedIn = new Set(attendance.filter((a) => a.classSessionId === session?.id).map((a) => a.learnerId));
  const waiting = session ? session.roster.filter((id) => !checkedIn.has(id)) : [];

  return (
    <ScreenFrame title={t('manual.title')} onBack={onBack}>
      {!session ? (
        <p className="lead" data-testid="no-open-session">{t('checkin.noOpenSession')}</p>
      ) : (
        <>
          <p className="session-title">{t('checkin.session', { title: session.title })}</p>
          {result && <ManualResult result={result} />}
          <div className="manual-check-in">
            <section className="manual-keypad" aria-labelledby="manual-number-label">
              <h2 id="manual-number-label">{t('manual.prompt')}</h2>
              <output className="learner-number" data-testid="learner-number" aria-live="polite">
                {LEARNER_NUMBER_PREFIX}
                {digits.padEnd(LEARNER_NUMBER_DIGITS, '_')}
              </output>
              <div className="keypad">
                {DIGITS.map((d) => (
                  <button
                    key={d}
                    type="button"
                    className="button key"
                    aria-label={t('staff.digit', { digit: d })}
                    onClick={() => setDigits((p) => (p + d).slice(0, LEARNER_NUMBER_DIGITS))}
                  >
                    {d}
                  </button>
                ))}
                <button type="button" className="button key secondary" onClick={() => setDigits((p) => p.slice(0, -1))} aria-label={t('staff.delete')}>
                  ⌫
                </button>
                <button type="button" className="button key" onClick={() => typedId && void checkIn(typedId)} disabled={!typedId}>
                  {t('manual.checkIn')}
                </button>
              </div>
            </section>
            <section className="manual-roster" aria-labelledby="manual-roster-label">
              <h2 id="manual-roster-label">{t('manual.waiting', { count: waiting.length })}</h2>
              <ul className="roster-list">
                {waiting.map((id) => (
                  <li key={id}>
                    <button type="button" className="button secondary" onClick={() => void checkIn(id)} aria-label={t('manual.checkInLearner', { id })}>
                      {id}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          </div>
        </>
      )}
    </ScreenFrame>
  );
}

function ManualResult({ result }: { result: CheckInResult }) {
  const { t } = useTranslation();
  if (result.kind === 'rejected') {
    return (
      <p role="alert" className="problem-text" data-testid="manual-result" data-result="rejected">
        {t(`card.${result.reason}`)}
      </p>
    );
  }
  const message =
    result.kind === 'already-checked-in' ? 'manual.already' : result.onRoster ? 'manual.checkedIn' : 'manual.checkedInNotOnRoster';
  return (
    <p role="status" className="manual-result" data-testid="manual-result" data-result={result.kind}>
      {t(message, { id: result.learnerId })}
    </p>
  );
}
