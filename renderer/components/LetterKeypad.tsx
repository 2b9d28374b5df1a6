import { useTranslation } from 'react-i18next';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/**
 * Pinyin letters for touch-only kiosks with no keyboard: staff find 张伟明 by tapping Z W M.
 * The text field beside it still takes a real keyboard and Chinese input where there is one.
 */
export function LetterKeypad({ onLetter, onDelete, onClear }: { onLetter: (letter: string) => void; onDelete: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="letter-keypad" role="group" aria-label={t('cards.letters')}>
      {LETTERS.map((letter) => (
        <button key={letter} type="button" className="button key letter" onClick={() => onLetter(letter.toLowerCase())}>
          {letter}
        </button>
      ))}
      <button type="button" className="button key letter secondary" onClick={onDelete} aria-label={t('cards.deleteLetter')}>
        ⌫
      </button>
      <button type="button" className="button key letter secondary wide" onClick={onClear}>
        {t('staff.clear')}
      </button>
    </div>
  );
}
