import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import subsetFont from 'subset-font';
import type { Plugin } from 'vite';
import { FIRST_SCREEN_SYMBOLS, FIRST_SCREEN_TEXT } from '../renderer/i18n/first-screen.ts';

/**
 * A Vite plugin giving the renderer `virtual:first-screen-fonts`: for the kiosk's two font
 * families, the glyphs of the home screen's text (renderer/i18n/first-screen.ts; see FAMILIES for
 * which languages), cut from the family's own unicode-range pieces and added to `document.fonts`
 * as font faces of the same family, built from their bytes while the entry script runs. Faces
 * added by script come after the stylesheet's in the document's font set, so the browser checks
 * them first for their characters (CSS Font Loading, "font source"; CSS Fonts 4: of overlapping
 * unicode ranges, the last defined is checked first), draws them with identical outlines, and
 * fetches a full piece only for text beyond them (learners' names, course titles, other screens).
 * Built from bytes, a face is loaded when it is made: the home's first layout is already in its
 * own fonts. Carried as data URLs in the stylesheet they cost every start some 25 ms of
 * stylesheet parsing, then loaded only once the first layout asked for them, and the home was
 * laid out twice (npm run bench -- startup).
 */

const VIRTUAL_ID = 'virtual:first-screen-fonts';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
const CATALOGS = fileURLToPath(new URL('../renderer/i18n/catalogs', import.meta.url));
/** Digits and Latin letters, for counts and the English home. */
const PRINTABLE_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

interface Family {
  /** The family name the stylesheet uses (renderer/styles.css). */
  name: string;
  /** The @fontsource-variable package with its pieces and their unicode ranges. */
  fontsourcePackage: string;
  /** The languages set in this family (a zh-HK label is set in the HK family). */
  languages: string[];
  /** Whether it carries those languages' home, or only their names on the language switch. */
  carriesHome: boolean;
}

/**
 * Every start pays for parsing what is carried, so only the default language's home (and the
 * English one, which is mostly the Latin letters the counts need anyway) is: a kiosk set to
 * zh-HK fetches its home's pieces as before. The HK family carries the name of zh-HK, which the
 * language switch on every home shows in its own font.
 */
const FAMILIES: Family[] = [
  { name: 'Noto Sans SC Variable', fontsourcePackage: '@fontsource-variable/noto-sans-sc', languages: ['zh-CN', 'en'], carriesHome: true },
  { name: 'Noto Sans HK Variable', fontsourcePackage: '@fontsource-variable/noto-sans-hk', languages: ['zh-HK'], carriesHome: false },
];
const CATALOG_LANGUAGES = ['zh-CN', 'zh-HK', 'en'];

function catalogSection(language: string, section: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CATALOGS, language, `${section}.json`), 'utf8')) as Record<string, unknown>;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];
}

/** The first screen's catalog text in one language (interpolation markers are not drawn). */
function firstScreenText(language: string): string {
  return FIRST_SCREEN_TEXT.map((entry) => {
    const [section = '', ...key] = entry.split('.');
    const catalog = catalogSection(language, section);
    return stringsIn(key.length === 0 ? catalog : catalog[key.join('.')]).join('');
  })
    .join('')
    .replace(/\{\{[^}]*\}\}/g, '');
}

/** The characters a family must carry: its home if it carries one, and its languages' names as every catalog gives them. */
function familyCharacters(family: Family): Set<number> {
  const names = CATALOG_LANGUAGES.flatMap((catalog) => family.languages.map((language) => String(catalogSection(catalog, 'language')[language] ?? '')));
  const home = family.carriesHome ? family.languages.map(firstScreenText).join('') + FIRST_SCREEN_SYMBOLS + PRINTABLE_ASCII : '';
  // Line breaks and tabs are never drawn; the space is.
  return new Set([...(home + names.join(''))].map((c) => c.codePointAt(0) ?? 0).filter((code) => code >= 32));
}

function parseRanges(unicodeRange: string): [number, number][] {
  return unicodeRange.split(',').map((range) => {
    const [from = '', to = from] = range.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from, 16), parseInt(to, 16)];
  });
}

const hex = (code: number) => `U+${code.toString(16)}`;

/** One face: its family, the glyphs as a woff2 file, and the characters it carries. */
interface FirstScreenFace {
  family: string;
  woff2: string;
  unicodeRange: string;
}

async function familyFaces(family: Family): Promise<FirstScreenFace[]> {
  const packageDir = dirname(createRequire(import.meta.url).resolve(`${family.fontsourcePackage}/package.json`));
  const pieces = JSON.parse(readFileSync(join(packageDir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const wanted = familyCharacters(family);
  const fileStem = family.fontsourcePackage.slice(family.fontsourcePackage.indexOf('/') + 1);
  const faces: FirstScreenFace[] = [];
  for (const [piece, unicodeRange] of Object.entries(pieces)) {
    const ranges = parseRanges(unicodeRange);
    const codes = [...wanted].filter((code) => ranges.some(([from, to]) => code >= from && code <= to)).sort((a, b) => a - b);
    if (codes.length === 0) continue;
    // Each character is taken from one piece only: the first that covers it.
    for (const code of codes) wanted.delete(code);
    const file = join(packageDir, 'files', `${fileStem}-${piece.replace(/[[\]]/g, '')}-wght-normal.woff2`);
    const subset = await subsetFont(readFileSync(file), String.fromCodePoint(...codes), { targetFormat: 'woff2' });
    faces.push({ family: family.name, woff2: subset.toString('base64'), unicodeRange: codes.map(hex).join(',') });
  }
  return faces;
}

/**
 * The module's code: the faces as data, and the loop that adds them (the descriptors are
 * fontsource's, as in its stylesheets). Uint8Array.fromBase64 is in Chromium 140 and later, so
 * in Electron 38 and later and in Debian's chromium: one native call, not a loop over 80 KB.
 */
function fontsModule(faces: FirstScreenFace[]): string {
  return `/* The home screen's glyphs (scripts/first-screen-fonts.ts). */
const FACES = ${JSON.stringify(faces)};
for (const { family, woff2, unicodeRange } of FACES) {
  document.fonts.add(new FontFace(family, Uint8Array.fromBase64(woff2), { style: 'normal', weight: '100 900', display: 'swap', unicodeRange }));
}
`;
}

export function firstScreenFonts(): Plugin {
  return {
    name: 'yx-first-screen-fonts',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      for (const language of CATALOG_LANGUAGES) this.addWatchFile(join(CATALOGS, language));
      return fontsModule((await Promise.all(FAMILIES.map(familyFaces))).flat());
    },
  };
}
