import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { useScanner } from '../checkin/use-scanner';
import { checkInWithCard, type CheckInResult } from '../checkin/check-in';
import { CardMessage } from './CardMessage';

/** After a confirmation the screen is ready for the next learner within this time. */
const CONFIRMATION_MS = 3000;

export function CheckInScreen({ onHome }: { onHome: () => void }) {
  const { t } = useTranslation();
  const { db, config } = useKiosk();
  const openSession = useObservable(() => db.class_sessions.findOne({ selector: { status: 'open' } }).$, null, [db]);
  const [result, setResult] = useState<CheckInResult | null>(null);

  const onScan = useCallback(
    async (text: string) => {
      const session = openSession?.toMutableJSON();
      if (!session) {
        setResult({ kind: 'rejected', reason: 'no-open-session' });
        return;
      }
      setResult(await checkInWithCard(db, { ...session, _deleted: false }, config, text, 'scanner'));
    },
    [db, config, openSession],
  );
  useScanner((text) => void onScan(text));

  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(null), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [result]);

  return (
    <ScreenFrame title={t('checkin.title')} onHome={onHome}>
      {result ? (
        <CardMessage result={result} onNext={() => setResult(null)} />
      ) : openSession ? (
        <div className="scan-prompt">
          <p className="session-title">{t('checkin.session', { title: openSession.title })}</p>
          <p className="lead" data-testid="scan-prompt">{t('checkin.prompt')}</p>
          <p className="scan-arrow" aria-hidden="true">⬇</p>
        </div>
      ) : (
        <p className="lead" data-testid="no-open-session">{t('checkin.noOpenSession')}</p>
      )}
    </ScreenFrame>
  );
}
