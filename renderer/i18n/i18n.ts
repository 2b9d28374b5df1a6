import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

type Catalog = Record<string, unknown>;

// One file per screen or feature and language (catalogs/<language>/<section>.json), so each
// feature owns its text; the file name is the key prefix ("checkin.welcome" → checkin.json).
const files = import.meta.glob<Catalog>('./catalogs/*/*.json', { eager: true, import: 'default' });

export const catalogs: Record<Language, Catalog> = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    Object.fromEntries(
      Object.entries(files)
        .filter(([path]) => path.startsWith(`./catalogs/${language}/`))
        .map(([path, catalog]) => [path.slice(path.lastIndexOf('/') + 1, -'.json'.length), catalog]),
    ),
  ]),
) as Record<Language, Catalog>;

/** Synchronous (the catalogs are in the bundle): the first render need not wait for it. */
export function initI18n(language: Language = DEFAULT_LANGUAGE) {
  void i18next.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogs[l] }])),
    lng: language,
    initAsync: false,
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
