import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncIndicator } from './SyncIndicator';

interface ScreenFrameProps {
  title: string;
  onBack?: () => void;
  onHome?: () => void;
  children: ReactNode;
}

/** Every screen: a title, the calm sync indicator, and big Back and Home buttons. */
export function ScreenFrame({ title, onBack, onHome, children }: ScreenFrameProps) {
  const { t } = useTranslation();
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{title}</h1>
        <SyncIndicator />
      </header>
      <main className="screen-main">{children}</main>
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
