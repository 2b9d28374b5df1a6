import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';
import { ScreenFrame } from '../components/ScreenFrame';

interface HomeScreenProps {
  onCheckIn: () => void;
  onMyCredits: () => void;
  onStaff: () => void;
  onLearn: () => void;
}

export function HomeScreen({ onCheckIn, onMyCredits, onStaff, onLearn }: HomeScreenProps) {
  const { t, i18n } = useTranslation();
  return (
    <ScreenFrame title={t('app.title')}>
      <p className="lead">{t('home.greeting')}</p>
      <div className="choices">
        <button type="button" className="button choice" onClick={onCheckIn}>
          <span aria-hidden="true" className="choice-icon">✓</span> {t('home.checkIn')}
        </button>
        <button type="button" className="button choice" onClick={onMyCredits}>
          <span aria-hidden="true" className="choice-icon">★</span> {t('home.myCredits')}
        </button>
        <button type="button" className="button choice" onClick={onLearn}>
          <span aria-hidden="true" className="choice-icon">▶</span> {t('learn.homeButton')}
        </button>
      </div>
      <div className="home-footer">
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
        <button type="button" className="button secondary" onClick={onStaff}>
          {t('home.staff')}
        </button>
      </div>
    </ScreenFrame>
  );
}
