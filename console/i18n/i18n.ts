import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';
import zhHK from './zh-HK.json';

export const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = 'yx-console-language';

/** The operator's last choice on this browser, else the browser's language, else zh-CN. */
function startLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (LANGUAGES.includes(stored as Language)) return stored as Language;
  const browser = navigator.language;
  if (/^zh-(HK|MO|TW|Hant)/i.test(browser)) return 'zh-HK';
  if (/^en/i.test(browser)) return 'en';
  return 'zh-CN';
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, 'zh-HK': { translation: zhHK }, en: { translation: en } },
    lng: startLanguage(),
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    localStorage.setItem(STORED, language);
  });
}
