import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { accessibilityViolations } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { startUnenrolledTestKioskHost, TEST_STAFF_PIN } from '../support/kiosk';

const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1080, height: 1920 },
  { width: 1366, height: 768 },
];
const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;
type Language = (typeof LANGUAGES)[number];
const TEXT_SIZES = [24, 40] as const;
/** The test kiosk's idle time (test/support/kiosk.ts). */
const IDLE_SECONDS = 60;
/** Screenshots for a human to look at; never committed. */
const SHOTS = join(tmpdir(), 'yuexue-layouts');

// Button labels come from the catalogs on disk, so the walk works in every language.
const catalogRoot = fileURLToPath(new URL('../../renderer/i18n/catalogs/', import.meta.url));
function label(language: Language, key: string): string {
  const [section, name] = key.split('.') as [string, string];
  return (JSON.parse(readFileSync(join(catalogRoot, language, `${section}.json`), 'utf8')) as Record<string, string>)[name]!;
}

let environment: DemoEnvironment;
let kiosk: RunningKioskHost;
let browser: Browser;
let unenrolled: RunningKioskHost;
let unenrolledFolder: string;

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

async function check(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect({ name, layout: await layoutProblems(page) }).toEqual({ name, layout: [] });
  expect({ name, axe: await accessibilityViolations(page) }).toEqual({ name, axe: [] });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  environment = await startDemoEnvironment();
  ({ kiosk, browser } = environment);
  // A second kiosk, not enrolled, for the enrolment screen an installer sees first.
  unenrolledFolder = mkdtempSync(join(tmpdir(), 'yx-layouts-unenrolled-'));
  unenrolled = await startUnenrolledTestKioskHost(environment.platform.url, unenrolledFolder);
});

afterAll(async () => {
  await unenrolled?.close();
  await environment?.close();
  if (unenrolledFolder) rmSync(unenrolledFolder, { recursive: true, force: true });
});

describe('layouts: every screen, viewport, language and text size fits and passes axe', () => {
  for (const viewport of VIEWPORTS) {
    it(`${viewport.width}×${viewport.height}`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const sessionsPulled = page.waitForResponse((r) => r.url().includes('/sync/class_sessions/pull') && r.ok());
      await page.goto(kiosk.url);
      await sessionsPulled;
      for (const language of LANGUAGES) {
        for (const size of TEXT_SIZES) {
          const prefix = `${viewport.width}x${viewport.height}-${language}-${size}`;
          const home = () => page.getByRole('button', { name: label(language, 'nav.home') }).click();
          await page.getByRole('button', { name: label(language, 'language.' + language) }).click();
          await page.getByTestId(`text-size-${size}`).click();
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
          await page.getByRole('button', { name: label(language, 'nav.back') }).click();
          await page.getByRole('button', { name: label(language, 'nav.back') }).click();
          await page.getByRole('button', { name: label(language, 'staff.exit') }).click();
        }
      }
      await context.close();
    });

    it(`${viewport.width}×${viewport.height}: enrolment screen`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(unenrolled.url);
      await page.getByTestId('enrol-qr').waitFor();
      for (const language of LANGUAGES) {
        for (const size of TEXT_SIZES) {
          await page.getByRole('button', { name: label(language, 'language.' + language) }).click();
          await page.getByTestId(`text-size-${size}`).click();
          await page.getByRole('heading', { name: label(language, 'enrol.title') }).waitFor();
          await check(page, `${viewport.width}x${viewport.height}-${language}-${size}-enrolment`);
        }
      }
      await context.close();
    });

    it(`${viewport.width}×${viewport.height}: idle countdown at 40 px`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      // A controllable clock brings the countdown up without waiting a minute; it then runs in
      // real time again, so the checks below are done well within its 10 s.
      await page.clock.install();
      await page.goto(kiosk.url);
      for (const language of LANGUAGES) {
        await page.getByRole('button', { name: label(language, 'language.' + language) }).click();
        await page.getByTestId('text-size-40').click();
        await page.clock.fastForward(IDLE_SECONDS * 1000);
        const overlay = page.getByTestId('idle-overlay');
        await overlay.waitFor();
        await check(page, `${viewport.width}x${viewport.height}-${language}-40-idle`);
        await page.getByTestId('still-here').click();
        await overlay.waitFor({ state: 'detached' });
      }
      await context.close();
    });
  }
});
