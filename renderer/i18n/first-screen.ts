import { HOME_ICONS } from '../screens/home-icons.ts';

/**
 * The catalog entries the home screen shows (a whole section, or one key): the kiosk's build
 * draws their characters into small fonts carried inside its stylesheet
 * (scripts/first-screen-fonts.ts), so the home is laid out once, in its own fonts, without
 * waiting for the font pieces it would otherwise fetch (npm run bench -- startup).
 * test/e2e/lazy-screens.test.ts fails when the home shows text not listed here.
 */
export const FIRST_SCREEN_TEXT = [
  'app.title',
  'home',
  'learn.homeButton',
  'language',
  'senior.readAloud',
  'senior.textSize',
  'senior.size1',
  'senior.size2',
  'senior.size3',
  'status',
] as const;

/** What the home shows besides catalog text. */
export const FIRST_SCREEN_SYMBOLS: string = Object.values(HOME_ICONS).join('');
