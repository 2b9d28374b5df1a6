import { useContext, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncIndicator } from './SyncIndicator';
import { KioskContext } from '../kiosk-context';
import { LANGUAGES, DEFAULT_LANGUAGE, type Language } from '../i18n/i18n';
import { prepareSpeech, speak, speechAvailable } from '../senior/speech';
import { TEXT_SIZES, setTextSize, useTextSize } from '../senior/text-size';

/** Drawn rather than an emoji: kiosk fonts often lack the speaker glyph. */
function SpeakerIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
      <path d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

interface ScreenFrameProps {
  title: string;
  onBack?: () => void;
  onHome?: () => void;
  children: ReactNode;
}

/**
 * Every screen: a title, the calm sync indicator, "read it to me", the text size switch, and big
 * Back and Home buttons. Living here, the voice and size controls reach every screen.
 */
export function ScreenFrame({ title, onBack, onHome, children }: ScreenFrameProps) {
  const { t, i18n } = useTranslation();
  const main = useRef<HTMLElement>(null);
  const textSize = useTextSize();
  // A kiosk that is not enrolled yet has no records and nothing to sync: no indicator.
  const syncing = useContext(KioskContext) !== null;
  const language: Language = (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : DEFAULT_LANGUAGE;

  // Reads what is on screen now (the title, then the main area as laid out), so screens need
  // no separate script to keep in step with what they show.
  useEffect(() => prepareSpeech(language), [language]);
  const readAloud = () => speak([title, main.current?.innerText ?? ''].join('\n'), language);

  return (
    <div className="screen">
      <header className="screen-header">
        <div className="screen-title">
          <h1>{title}</h1>
          {syncing && <SyncIndicator />}
        </div>
        <div className="toolbar">
          {speechAvailable(language) && (
            <button type="button" className="button secondary" onClick={readAloud} data-testid="read-aloud">
              <SpeakerIcon /> {t('senior.readAloud')}
            </button>
          )}
          <div className="text-sizes" role="group" aria-label={t('senior.textSize')}>
            {TEXT_SIZES.map((size, index) => (
              <button
                key={size}
                type="button"
                className={size === textSize ? 'button text-size current' : 'button text-size'}
                aria-pressed={size === textSize}
                onClick={() => setTextSize(size)}
                data-testid={`text-size-${size}`}
              >
                {t(`senior.size${index + 1}`)}
              </button>
            ))}
          </div>
        </div>
      </header>
      <main className="screen-main" ref={main}>
        {children}
      </main>
      {(onBack || onHome) && (
        <nav className="screen-nav" aria-label={t('nav.home')}>
          {onBack && (
            <button type="button" className="button secondary" onClick={onBack}>
              ← {t('nav.back')}
            </button>
          )}
          {onHome && (
            <button type="button" className="button secondary" onClick={onHome}>
              ⌂ {t('nav.home')}
            </button>
          )}
        </nav>
      )}
    </div>
  );
}
