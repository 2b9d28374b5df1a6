import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A large, calm countdown over the whole screen; one big button keeps the learner's place. */
export function IdleOverlay({ secondsLeft, onStillHere }: { secondsLeft: number; onStillHere: () => void }) {
  const { t, i18n } = useTranslation();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    // A tap anywhere on the overlay means someone is there; the button is the obvious place.
    <div className="idle-overlay" onClick={onStillHere} role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-detail" data-testid="idle-overlay">
      <div className="idle-box">
        <h2 id="idle-title">{t('senior.idleTitle')}</h2>
        <p className="idle-count" aria-hidden="true" data-testid="idle-count">
          {new Intl.NumberFormat(i18n.language).format(secondsLeft)}
        </p>
        <p id="idle-detail">{t('senior.idleDetail', { count: secondsLeft })}</p>
        <button ref={button} type="button" className="button" data-testid="still-here">
          {t('senior.stillHere')}
        </button>
      </div>
    </div>
  );
}
