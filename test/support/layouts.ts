import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { accessibilityViolations, EVERY_SCREENSHOT } from './browser';
import { startDemoEnvironment, type DemoEnvironment } from './demo-environment';
import { startUnenrolledTestKioskHost, TEST_STAFF_PIN } from './kiosk';
import { leaveIdle } from './idle';

/**
 * The layout walk shared by test/e2e/layouts/: every screen, in every viewport, language and text
 * size, must fit and pass axe. One file per viewport, one test per language and text size, and
 * a file each for the enrolment screen and the idle countdown: the whole walk was one file of 9
 * tests taking 75 s on an idle two-core machine, and a viewport's walk took 56 s under load,
 * against a 120 s limit per test; one language and size takes under 30 s even at load 20.
 */

export interface Viewport {
  width: number;
  height: number;
}
/** Full HD landscape (the usual hall screen), Full HD portrait (a standing kiosk), the smallest screen a kiosk may have. */
export const VIEWPORTS = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
  small: { width: 1366, height: 768 },
} as const;
export const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const TEXT_SIZES = [24, 40] as const;
/** Screenshots for a human to look at (of a failing screen, or of every one with YX_TEST_SCREENSHOTS=1); never committed. */
export const SHOTS = join(tmpdir(), 'yuexue-layouts');

// Button labels come from the catalogs on disk, so the walk works in every language.
const catalogRoot = fileURLToPath(new URL('../../renderer/i18n/catalogs/', import.meta.url));
export function label(language: Language, key: string): string {
  const [section, name] = key.split('.') as [string, string];
  return (JSON.parse(readFileSync(join(catalogRoot, language, `${section}.json`), 'utf8')) as Record<string, string>)[name]!;
}

/**
 * Text that does not fit: an element whose own text is wider or taller than its box, anything
 * wider than the viewport, or a text element overlapping one of its visible siblings.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    }
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const hasOwnText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    for (const el of document.body.querySelectorAll('*')) {
      if (!visible(el) || !hasOwnText(el)) continue;
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (rect.right > window.innerWidth + 1 || rect.left < -1) problems.push(`outside the viewport: ${describe(el)}`);
      if (style.display !== 'inline' && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
        problems.push(`text overflows its box: ${describe(el)} (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
      }
      for (const sibling of el.parentElement?.children ?? []) {
        if (sibling === el || !visible(sibling)) continue;
        const other = sibling.getBoundingClientRect();
        const overlapX = Math.min(rect.right, other.right) - Math.max(rect.left, other.left);
        const overlapY = Math.min(rect.bottom, other.bottom) - Math.max(rect.top, other.top);
        if (overlapX > 1 && overlapY > 1) problems.push(`overlaps its sibling: ${describe(el)} and ${describe(sibling)}`);
      }
    }
    return problems;
  });
}

/** Measured once the kiosk's own fonts have loaded, so every machine measures the same glyphs. */
async function check(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const layout = await layoutProblems(page);
  const axe = await accessibilityViolations(page);
  if (EVERY_SCREENSHOT || layout.length > 0 || axe.length > 0) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect({ name, layout }).toEqual({ name, layout: [] });
  expect({ name, axe }).toEqual({ name, axe: [] });
}

interface LayoutEnvironment {
  browser: Browser;
  /** The enrolled demo kiosk. */
  kiosk: RunningKioskHost;
  /** A second kiosk, not enrolled, for the enrolment screen an installer sees first. */
  unenrolled: RunningKioskHost | null;
  close(): Promise<void>;
}

async function startLayoutEnvironment(options: { unenrolled: boolean }): Promise<LayoutEnvironment> {
  mkdirSync(SHOTS, { recursive: true });
  const environment: DemoEnvironment = await startDemoEnvironment();
  const unenrolledFolder = options.unenrolled ? mkdtempSync(join(tmpdir(), 'yx-layouts-unenrolled-')) : null;
  const unenrolled = unenrolledFolder ? await startUnenrolledTestKioskHost(environment.platform.url, unenrolledFolder) : null;
  return {
    browser: environment.browser,
    kiosk: environment.kiosk,
    unenrolled,
    async close() {
      await unenrolled?.close();
      await environment.close();
      if (unenrolledFolder) rmSync(unenrolledFolder, { recursive: true, force: true });
    },
  };
}

/** Starts the environment before a file's tests and closes it after; the getter fails a test it could not start for. */
function useLayoutEnvironment(options: { unenrolled: boolean }): () => LayoutEnvironment {
  let env: LayoutEnvironment | undefined;
  beforeAll(async () => {
    env = await startLayoutEnvironment(options);
  });
  afterAll(async () => {
    await env?.close();
  });
  return () => {
    if (!env) throw new Error('the layout environment did not start');
    return env;
  };
}

async function chooseLanguageAndSize(page: Page, language: Language, size: number): Promise<void> {
  await page.getByRole('button', { name: label(language, 'language.' + language) }).click();
  await page.getByTestId(`text-size-${size}`).click();
}

/** Home, check-in, credits prompt and every staff screen, in one language and text size. */
async function walkKioskScreens(env: LayoutEnvironment, viewport: Viewport, language: Language, size: number): Promise<void> {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const sessionsPulled = page.waitForResponse((r) => r.url().includes('/sync/class_sessions/pull') && r.ok());
  await page.goto(env.kiosk.url);
  await sessionsPulled;
  const prefix = `${viewport.width}x${viewport.height}-${language}-${size}`;
  const home = () => page.getByRole('button', { name: label(language, 'nav.home') }).click();
  await chooseLanguageAndSize(page, language, size);
  await page.getByRole('heading', { name: label(language, 'app.title') }).waitFor();
  await check(page, `${prefix}-home`);

  await page.getByRole('button', { name: label(language, 'home.checkIn') }).click();
  await page.getByRole('heading', { name: label(language, 'checkin.title') }).waitFor();
  await check(page, `${prefix}-check-in`);
  await home();

  await page.getByRole('button', { name: label(language, 'home.myCredits') }).click();
  await page.getByRole('heading', { name: label(language, 'credits.title') }).waitFor();
  await check(page, `${prefix}-credits-prompt`);
  await home();

  await page.getByRole('button', { name: label(language, 'home.staff') }).click();
  await page.getByRole('heading', { name: label(language, 'staff.pinTitle') }).waitFor();
  await check(page, `${prefix}-staff-pin`);
  for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: label(language, 'staff.digit').replace('{{digit}}', digit) }).click();
  await page.getByRole('button', { name: label(language, 'staff.unlock'), exact: true }).click();
  await page.getByTestId('staff-session').first().waitFor();
  await page.getByRole('button', { name: label(language, 'staffmode.showRoster') }).first().click();
  await page.getByTestId('roster').waitFor();
  await check(page, `${prefix}-staff-sessions`);

  await page.getByRole('button', { name: label(language, 'cards.open'), exact: true }).click();
  await page.getByTestId('learner-search').fill('l');
  await page.getByTestId('found-learners').getByRole('button').first().waitFor();
  await check(page, `${prefix}-staff-cards`);
  await page.getByTestId('found-learners').getByRole('button').first().click();
  await page.getByTestId('qr-image').waitFor();
  await check(page, `${prefix}-staff-card`);
  await context.close();
}

/** The enrolment screen of a kiosk that is not enrolled yet, in every language and text size. */
async function walkEnrolmentScreen(env: LayoutEnvironment, viewport: Viewport): Promise<void> {
  if (!env.unenrolled) throw new Error('the layout environment has no unenrolled kiosk');
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(env.unenrolled.url);
  await page.getByTestId('enrol-qr').waitFor();
  for (const language of LANGUAGES) {
    for (const size of TEXT_SIZES) {
      await chooseLanguageAndSize(page, language, size);
      await page.getByRole('heading', { name: label(language, 'enrol.title') }).waitFor();
      await check(page, `${viewport.width}x${viewport.height}-${language}-${size}-enrolment`);
    }
  }
  await context.close();
}

/** The idle countdown at the largest text size, in every language. */
async function walkIdleCountdown(env: LayoutEnvironment, viewport: Viewport): Promise<void> {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  // A controllable clock brings the countdown up without waiting a minute; it then runs in
  // real time again, so the checks below are done well within its 10 s.
  await page.clock.install();
  await page.goto(env.kiosk.url);
  for (const language of LANGUAGES) {
    await chooseLanguageAndSize(page, language, 40);
    // On a page taller than the screen the taps scroll it, and the scroll event (activity) comes
    // a frame later: let it land before jumping the clock. A second past the idle time, too:
    // the 10 s countdown still has 9 s to run.
    await page.waitForTimeout(300);
    await leaveIdle(page);
    const overlay = page.getByTestId('idle-overlay');
    await check(page, `${viewport.width}x${viewport.height}-${language}-40-idle`);
    await page.getByTestId('still-here').click();
    await overlay.waitFor({ state: 'detached' });
  }
  await context.close();
}

const name = (viewport: Viewport) => `${viewport.width}×${viewport.height}`;

/** The kiosk's screens in one viewport: one test per language and text size. */
export function describeKioskScreenLayouts(viewport: Viewport): void {
  describe(`layouts at ${name(viewport)}: every kiosk screen fits and passes axe`, () => {
    const env = useLayoutEnvironment({ unenrolled: false });
    for (const language of LANGUAGES) {
      for (const size of TEXT_SIZES) it(`in ${language} at ${size} px`, () => walkKioskScreens(env(), viewport, language, size));
    }
  });
}

/** The enrolment screen in every viewport, language and text size. */
export function describeEnrolmentLayouts(viewports: readonly Viewport[]): void {
  describe('layouts of the enrolment screen: it fits and passes axe', () => {
    const env = useLayoutEnvironment({ unenrolled: true });
    for (const viewport of viewports) it(`at ${name(viewport)}`, () => walkEnrolmentScreen(env(), viewport));
  });
}

/** The idle countdown in every viewport and language, at the largest text size. */
export function describeIdleLayouts(viewports: readonly Viewport[]): void {
  describe('layouts of the idle countdown: it fits and passes axe', () => {
    const env = useLayoutEnvironment({ unenrolled: false });
    for (const viewport of viewports) it(`at ${name(viewport)}, 40 px`, () => walkIdleCountdown(env(), viewport));
  });
}
