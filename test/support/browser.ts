import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireChromium } from './find-chromium';

/** Chromium or Chrome (test/support/find-chromium.ts), headless, as root on a machine with no network but loopback. */
export const HEADLESS_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(extraArgs: string[] = [], env?: Record<string, string>): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    headless: true,
    args: [...HEADLESS_FLAGS, ...extraArgs],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
}

/**
 * Whether tests that photograph each screen they check (the layout walks, the senior journeys)
 * keep a picture of every screen for a person to look over, or only of a screen that fails: a
 * full-page screenshot cost about as much as the checks themselves. `YX_TEST_SCREENSHOTS=1`.
 */
export const EVERY_SCREENSHOT = process.env.YX_TEST_SCREENSHOTS === '1';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.x A/AA plus AAA contrast) on the page as it is now; returns readable violations. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through DevTools rather than added as an inline <script>, which the kiosk's
  // Content-Security-Policy refuses. Once a document: sending and compiling axe-core's half a
  // megabyte took as long as a whole axe run, and the kiosk's screens are one document (a
  // navigation or reload brings a new window without axe, so it is evaluated again).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag2aaa', 'best-practice'] },
    });
    return result.violations;
  });
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * A USB keyboard-wedge scanner presenting a card: the whole text as one burst of key events, then
 * Enter. Sent from inside the page so a loaded test machine cannot stretch the burst into what
 * the kiosk rightly reads as a person typing.
 */
export async function presentCardAsScanner(page: Page, text: string): Promise<void> {
  await page.evaluate((keys) => {
    for (const key of [...keys, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }, [...text]);
}

const TSX_SHIM = 'window.__name = (fn) => fn';
const pagesWithTsxShim = new WeakSet<Page>();

/**
 * Lets functions compiled by tsx (the benches) run in the page, now and after any navigation:
 * tsx compiles with keepNames, which wraps named functions in a __name helper the page lacks. The
 * init script is added once a page.
 */
export async function allowTsxFunctions(page: Page): Promise<void> {
  if (!pagesWithTsxShim.has(page)) {
    pagesWithTsxShim.add(page);
    await page.addInitScript(TSX_SHIM);
  }
  await page.evaluate(TSX_SHIM);
}

/** Fails the test on any axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}
