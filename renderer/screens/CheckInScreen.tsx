import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { CardReader, type ScanMethod } from '../components/CardReader';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { checkInWithCard, windowRejection } from '../checkin/check-in';
import { useNow } from '../use-now';
import { playConfirmationSound } from '../checkin/confirmation-sound';
import { speak } from '../senior/speech';
import type { Language } from '../i18n/i18n';
import type { NotACard } from '../checkin/scan-kind';
import { CardMessage, useRejectionText, type ScanResult } from './CardMessage';

/** After a confirmation the screen is ready for the next learner within this time. */
const CONFIRMATION_MS = 3000;

export function CheckInScreen({ onHome }: { onHome: () => void }) {
  const { t, i18n } = useTranslation();
  const { db, config } = useKiosk();
  const openSession = useObservable(() => db.class_sessions.findOne({ selector: { status: 'open' } }).$, null, [db]);
  const [result, setResult] = useState<ScanResult | null>(null);
  const rejectionText = useRejectionText();
  const now = useNow(15_000);
  const outside = openSession ? windowRejection(openSession, now) : null;

  const announce = useCallback(
    (answer: ScanResult) => {
      setResult(answer);
      if (answer.kind === 'rejected') return playConfirmationSound('problem');
      playConfirmationSound('success');
      const greeting = answer.kind === 'checked-in' ? 'greeting.welcome' : 'greeting.already';
      speak(t(greeting, { name: answer.displayName }), i18n.language as Language);
    },
    [t, i18n],
  );

  const onScan = useCallback(
    async (text: string, method: ScanMethod) => {
      const session = openSession?.toMutableJSON();
      if (!session) return announce({ kind: 'rejected', reason: 'no-open-session' });
      announce(await checkInWithCard(db, { ...session, _deleted: false }, config, text, method));
    },
    [db, config, openSession, announce],
  );
  const onCard = useCallback((text: string, method: ScanMethod) => void onScan(text, method), [onScan]);
  const onNotACard = useCallback((reason: NotACard) => announce({ kind: 'rejected', reason }), [announce]);

  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(null), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [result]);

  return (
    <ScreenFrame title={t('checkin.title')} onHome={onHome}>
      <div className="check-in">
        {result ? (
          <CardMessage result={result} onNext={() => setResult(null)} />
        ) : openSession && outside ? (
          <p className="lead" data-testid="outside-window" data-reason={outside}>
            {rejectionText({ kind: 'rejected', reason: outside, opensAt: openSession.checkInOpensAt })}
          </p>
        ) : openSession ? (
          <div className="scan-prompt">
            <p className="session-title">{t('checkin.session', { title: openSession.title })}</p>
            <p className="lead" data-testid="scan-prompt">{t('checkin.prompt')}</p>
            <p className="scan-arrow" aria-hidden="true">⬇</p>
          </div>
        ) : (
          <p className="lead" data-testid="no-open-session">{t('checkin.noOpenSession')}</p>
        )}
        {/* Stays mounted while a confirmation shows, so the camera need not restart for each learner. */}
        <CardReader onCard={onCard} onNotACard={onNotACard} camera={openSession !== null && !outside} />
      </div>
    </ScreenFrame>
  );
}
