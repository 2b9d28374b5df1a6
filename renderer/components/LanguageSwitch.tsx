import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';

/** Each language named in itself, so anyone can find their own. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="languages" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className={lng === i18n.language ? 'button language current' : 'button language'}
          aria-pressed={lng === i18n.language}
          onClick={() => void i18n.changeLanguage(lng)}
        >
          {t(`language.${lng}`)}
        </button>
      ))}
    </div>
  );
}
