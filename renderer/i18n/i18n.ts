import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './catalogs/zh-CN.json';
import zhHK from './catalogs/zh-HK.json';
import en from './catalogs/en.json';

export const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const catalogs: Record<Language, object> = { 'zh-CN': zhCN, 'zh-HK': zhHK, en };

/** The language a learner chose lasts until the kiosk goes back to its home screen idle. */
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export async function initI18n(language: Language = DEFAULT_LANGUAGE) {
  await i18next.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogs[l] }])),
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
