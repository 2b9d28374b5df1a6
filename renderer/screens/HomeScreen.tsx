import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { HOME_ICONS } from './home-icons';

interface HomeScreenProps {
  onCheckIn: () => void;
  onMyCredits: () => void;
  onStaff: () => void;
  onLearn: () => void;
}

export function HomeScreen({ onCheckIn, onMyCredits, onStaff, onLearn }: HomeScreenProps) {
  const { t } = useTranslation();
  return (
    <ScreenFrame title={t('app.title')}>
      <p className="lead">{t('home.greeting')}</p>
      <div className="choices">
        <button type="button" className="button choice" onClick={onCheckIn}>
          <span aria-hidden="true" className="choice-icon">{HOME_ICONS.checkIn}</span> {t('home.checkIn')}
        </button>
        <button type="button" className="button choice" onClick={onMyCredits}>
          <span aria-hidden="true" className="choice-icon">{HOME_ICONS.myCredits}</span> {t('home.myCredits')}
        </button>
        <button type="button" className="button choice" onClick={onLearn}>
          <span aria-hidden="true" className="choice-icon">{HOME_ICONS.learn}</span> {t('learn.homeButton')}
        </button>
      </div>
      <div className="home-footer">
        <LanguageSwitch />
        <button type="button" className="button secondary" onClick={onStaff}>
          {t('home.staff')}
        </button>
      </div>
    </ScreenFrame>
  );
}
