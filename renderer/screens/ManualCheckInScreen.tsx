import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { recordAttendance, type CheckInResult } from '../checkin/check-in';
import { LEARNER_NUMBER_DIGITS, LEARNER_NUMBER_PREFIX, learnerIdFromDigits } from '../checkin/learner-number';
import { LearnerFinder } from '../components/LearnerFinder';
import { useSiteLearners } from '../staff/use-site-learners';
import { useRejectionText } from './CardMessage';
import type { LateCheckInReason } from '../../sync/protocol/attendance-record';

/** A class staff opened after its end for a late check-in, with the reason they picked. */
export interface LateCheckIn {
  sessionId: string;
  reason: LateCheckInReason;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/**
 * Staff check in a learner who forgot their card: key in the learner number on a large keypad,
 * find them by name (pinyin letters work on a kiosk without a keyboard), or tap them in the list
 * of those on the roster not yet checked in. Names come from the site's learner directory; a
 * learner it does not hold yet is shown by number. With `late`, the same screen checks learners
 * into that past class, each record carrying the reason staff picked.
 */
export function ManualCheckInScreen({ onBack, late }: { onBack: () => void; late?: LateCheckIn | undefined }) {
  const { t } = useTranslation();
  const { db, config } = useKiosk();
  const session = useObservable(
    () => (late ? db.class_sessions.findOne(late.sessionId).$ : db.class_sessions.findOne({ selector: { status: 'open' } }).$),
    null,
    [db, late?.sessionId],
  );
  const attendance = useObservable(() => db.attendance.find().$, [], [db]);
  const { learners, nameOf } = useSiteLearners();
  const [digits, setDigits] = useState('');
  const [byName, setByName] = useState(false);
  const [result, setResult] = useState<CheckInResult | null>(null);
  const who = (id: string) => {
    const name = nameOf(id);
    return name ? t('manual.who', { name, id }) : id;
  };

  async function checkIn(learnerId: string) {
    const open = session?.toMutableJSON();
    if (!open) return setResult({ kind: 'rejected', reason: 'no-open-session' });
    const name = nameOf(learnerId) ?? learnerId;
    setResult(await recordAttendance(db, { ...open, _deleted: false }, config, learnerId, name, 'manual', new Date(), undefined, late?.reason));
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
          {late && (
            <p className="lead" data-testid="late-check-in" data-reason={late.reason}>
              {t('staffmode.lateBanner', { reason: t(`staffmode.lateReason.${late.reason}`) })}
            </p>
          )}
          {result && <ManualResult result={result} who={who} />}
          <div className="row" role="group" aria-label={t('manual.title')}>
            <button type="button" className="button secondary" aria-pressed={!byName} onClick={() => setByName(false)}>
              {t('manual.byNumber')}
            </button>
            <button type="button" className="button secondary" aria-pressed={byName} onClick={() => setByName(true)}>
              {t('manual.byName')}
            </button>
          </div>
          <div className="manual-check-in">
            {byName ? (
              <section className="manual-keypad" aria-label={t('manual.byName')}>
                <LearnerFinder learners={learners} pickHint={t('manual.pickHint')} onPick={(l) => void checkIn(l.id)} />
              </section>
            ) : (
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
            )}
            <section className="manual-roster" aria-labelledby="manual-roster-label">
              <h2 id="manual-roster-label">{t('manual.waiting', { count: waiting.length })}</h2>
              <ul className="roster-list">
                {waiting.map((id) => (
                  <li key={id}>
                    <button type="button" className="button secondary" onClick={() => void checkIn(id)} aria-label={t('manual.checkInLearner', { who: who(id) })}>
                      {nameOf(id) ?? id}
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

function ManualResult({ result, who }: { result: CheckInResult; who: (id: string) => string }) {
  const { t } = useTranslation();
  const rejectionText = useRejectionText();
  if (result.kind === 'rejected') {
    return (
      <p role="alert" className="problem-text" data-testid="manual-result" data-result="rejected" data-reason={result.reason}>
        {rejectionText(result)}
      </p>
    );
  }
  const message =
    result.kind === 'already-checked-in' ? 'manual.already' : result.onRoster ? 'manual.checkedIn' : 'manual.checkedInNotOnRoster';
  return (
    <p role="status" className="manual-result" data-testid="manual-result" data-result={result.kind}>
      {t(message, { who: who(result.learnerId) })}
    </p>
  );
}
