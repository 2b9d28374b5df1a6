import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ShownCard } from './card-state';
import { useSiteTime } from '../i18n/site-time';

export interface SheetCard {
  learnerId: string;
  displayName: string;
  card: ShownCard;
  /** The card's QR as a data URL, made before the sheet is drawn so printing waits for nothing. */
  qr: string;
}

/**
 * Credit-card-sized cards (85.6 × 54 mm), two across an A4 page, like the platform's sheet: a
 * kiosk can print replacements offline. Outside #root so print CSS can hide the screen; prints
 * once its images are decoded, and tells the screen when the print dialog has closed.
 */
export function CardSheet({ cards, onPrinted }: { cards: SheetCard[]; onPrinted: () => void }) {
  const { t } = useTranslation();
  const sheet = useRef<HTMLDivElement>(null);
  const date = useSiteTime().format({ dateStyle: 'medium' });

  useEffect(() => {
    let current = true;
    const images = [...(sheet.current?.querySelectorAll('img') ?? [])];
    void Promise.all(images.map((image) => image.decode().catch(() => undefined))).then(() => {
      if (!current) return;
      window.print();
      onPrinted();
    });
    return () => {
      current = false;
    };
  }, [cards, onPrinted]);

  return createPortal(
    <div className="print-sheet" ref={sheet} data-testid="print-sheet" data-count={cards.length}>
      {cards.map(({ learnerId, displayName, card, qr }) => (
        <section className="printed-card" key={card.serial}>
          <img src={qr} alt={t('cards.qrAlt', { name: displayName })} />
          <div>
            <p className="printed-name">{displayName}</p>
            <p>{t('cards.number', { id: learnerId })}</p>
            <p>{t('cards.serial', { serial: card.serial })}</p>
            <p>{t('cards.validUntil', { date: date.format(new Date(card.expiresAt)) })}</p>
          </div>
        </section>
      ))}
    </div>,
    document.body,
  );
}
