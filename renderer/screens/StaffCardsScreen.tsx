import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { LearnerFinder } from '../components/LearnerFinder';
import { QrImage } from '../components/QrImage';
import { CardSheet, type SheetCard } from '../cards/CardSheet';
import { cardState, type CardState } from '../cards/card-state';
import { qrDataUrl } from '../components/qr-data-url';
import { useKiosk } from '../kiosk-context';
import { useSiteTime } from '../i18n/site-time';
import { useObservable } from '../use-observable';
import { useSiteLearners, type KioskLearner } from '../staff/use-site-learners';

/**
 * Staff show a learner's card on screen (to scan, or for the learner to photograph) and print
 * replacement cards, all from what the kiosk pulled: it works offline.
 */
export function StaffCardsScreen({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { db } = useKiosk();
  const { learners } = useSiteLearners();
  const revocations = useObservable(() => db.card_revocations.find().$, [], [db]);
  const session = useObservable(() => db.class_sessions.findOne({ selector: { status: 'open' } }).$, null, [db]);
  const [shown, setShown] = useState<KioskLearner | null>(null);
  const [sheet, setSheet] = useState<SheetCard[] | null>(null);

  const revoked = useMemo(() => new Set(revocations.map((r) => Number(r.id))), [revocations]);
  const stateOf = useCallback((learner: KioskLearner) => cardState(learner, (serial) => revoked.has(serial), new Date()), [revoked]);
  const rosterLearners = useMemo(() => {
    const onRoster = new Set(session?.roster ?? []);
    return learners.filter((l) => onRoster.has(l.id));
  }, [learners, session]);
  const rosterPrintable = rosterLearners.filter((l) => stateOf(l).kind === 'valid');

  async function print(toPrint: KioskLearner[]) {
    const cards: SheetCard[] = [];
    for (const learner of toPrint) {
      const state = stateOf(learner);
      if (state.kind !== 'valid') continue;
      cards.push({ learnerId: learner.id, displayName: learner.displayName, card: state.card, qr: await qrDataUrl(state.card.text) });
    }
    if (cards.length > 0) setSheet(cards);
  }
  const printed = useCallback(() => setSheet(null), []);

  return (
    <ScreenFrame title={t('cards.title')} onBack={shown ? () => setShown(null) : onBack}>
      {shown ? (
        <LearnerCardPanel learner={shown} state={stateOf(shown)} onPrint={() => void print([shown])} />
      ) : (
        <>
          <p className="lead">{t('cards.intro')}</p>
          <LearnerFinder learners={learners} pickHint={t('cards.pickHint')} onPick={setShown} />
          {session && (
            <div className="row">
              <button type="button" className="button secondary" disabled={rosterPrintable.length === 0} onClick={() => void print(rosterLearners)} data-testid="print-roster">
                {t('cards.printRoster', { count: rosterPrintable.length, title: session.title })}
              </button>
            </div>
          )}
        </>
      )}
      {sheet && <CardSheet cards={sheet} onPrinted={printed} />}
    </ScreenFrame>
  );
}

function LearnerCardPanel({ learner, state, onPrint }: { learner: KioskLearner; state: CardState; onPrint: () => void }) {
  const { t } = useTranslation();
  const date = useSiteTime().format({ dateStyle: 'long' });
  return (
    <section className="learner-card" aria-labelledby="learner-card-name" data-testid="learner-card" data-state={state.kind}>
      <h2 id="learner-card-name">{learner.displayName}</h2>
      <p>{t('cards.number', { id: learner.id })}</p>
      {state.kind === 'valid' && (
        <>
          <QrImage text={state.card.text} alt={t('cards.qrAlt', { name: learner.displayName })} className="card-qr" />
          <p>
            {t('cards.serial', { serial: state.card.serial })} · {t('cards.validUntil', { date: date.format(new Date(state.card.expiresAt)) })}
          </p>
          <p className="hint">{t('cards.scanHint')}</p>
          <div className="row">
            <button type="button" className="button" onClick={onPrint}>
              {t('cards.printOne')}
            </button>
          </div>
        </>
      )}
      {state.kind === 'expired' && (
        <p className="problem-text" role="status">
          {t('cards.expired', { date: date.format(new Date(state.card.expiresAt)) })}
        </p>
      )}
      {state.kind === 'none' && (
        <p className="problem-text" role="status">
          {t('cards.none')}
        </p>
      )}
    </section>
  );
}
