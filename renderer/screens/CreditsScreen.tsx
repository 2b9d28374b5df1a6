import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { useSiteTime } from '../i18n/site-time';
import type { Language } from '../i18n/i18n';
import { CardReader } from '../components/CardReader';
import type { NotACard } from '../checkin/scan-kind';
import { verifyCardOffline } from '../checkin/check-in';
import { learnerCredits, type LearnerCredits } from '../credits/learner-credits';
import type { CardRejection } from '../../sync/protocol/learner-card';

type View = { kind: 'prompt' } | { kind: 'rejected'; reason: CardRejection | NotACard } | { kind: 'credits'; name: string; credits: LearnerCredits };

export function CreditsScreen({ onHome }: { onHome: () => void }) {
  const { t, i18n } = useTranslation();
  const { db, replication } = useKiosk();
  // A new kiosk is usable before its ledger is in (kiosk-replication.ts): say so rather than show too few hours.
  const ledgerArriving = useObservable(() => replication.ledgerArriving$, false, [replication]);
  const [view, setView] = useState<View>({ kind: 'prompt' });
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const date = useSiteTime().format({ dateStyle: 'long' });

  const onCard = useCallback(
    (text: string) => {
      void (async () => {
        const verdict = await verifyCardOffline(db, text, new Date());
        if (!verdict.ok) return setView({ kind: 'rejected', reason: verdict.reason });
        setView({ kind: 'credits', name: verdict.card.displayName, credits: await learnerCredits(db, verdict.card.learnerId) });
      })();
    },
    [db],
  );
  const onNotACard = useCallback((reason: NotACard) => setView({ kind: 'rejected', reason }), []);

  // Leaving the screen (Home, or idle) forgets the learner: nothing stays on screen.
  return (
    <ScreenFrame title={t('credits.title')} onHome={onHome}>
      {view.kind === 'prompt' && <p className="lead">{t('credits.prompt')}</p>}
      {/* The camera looks for a card until one shows the learner's record. */}
      <CardReader onCard={onCard} onNotACard={onNotACard} camera={view.kind !== 'credits'} />
      {view.kind === 'rejected' && (
        <section className="confirmation problem" role="alert" data-testid="credits-rejected" data-reason={view.reason}>
          <p className="confirmation-icon" aria-hidden="true">!</p>
          <h2>{t(`card.${view.reason}`)}</h2>
        </section>
      )}
      {view.kind === 'credits' && (
        <section className="credits" data-testid="credits">
          <h2>{t('credits.heading', { name: view.name })}</h2>
          {ledgerArriving && (
            <p className="lead" role="status" data-testid="ledger-arriving">
              {t('credits.arriving')}
            </p>
          )}
          {view.credits.ledgerHours === 0 && view.credits.pendingHours === 0 && view.credits.underReviewHours === 0 ? (
            !ledgerArriving && <p>{t('credits.none')}</p>
          ) : (
            <>
              <p data-testid="ledger-hours" data-hours={view.credits.ledgerHours}>
                {t('credits.confirmedHours', { hours: number.format(view.credits.ledgerHours), credits: number.format(view.credits.ledgerCredits) })}
              </p>
              {view.credits.provisionalHours > 0 && (
                <p>{t('credits.provisionalHours', { hours: number.format(view.credits.provisionalHours) })}</p>
              )}
              {view.credits.pendingHours > 0 && (
                <p data-testid="pending-hours" data-hours={view.credits.pendingHours}>
                  {t('credits.pendingHours', { hours: number.format(view.credits.pendingHours) })}
                </p>
              )}
              {view.credits.underReviewHours > 0 && (
                <p data-testid="under-review-hours" data-hours={view.credits.underReviewHours}>
                  {t('credits.underReviewHours', { hours: number.format(view.credits.underReviewHours) })}
                </p>
              )}
              <h3>{t('credits.recent')}</h3>
              <ul className="recent">
                {view.credits.recent.map((r) => (
                  <li key={r.at + JSON.stringify(r.title)}>
                    {date.format(new Date(r.at))} · {typeof r.title === 'string' ? r.title : r.title[i18n.language as Language]}
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="button" onClick={() => setView({ kind: 'prompt' })}>
            {t('credits.done')}
          </button>
        </section>
      )}
    </ScreenFrame>
  );
}
