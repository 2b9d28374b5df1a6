import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { launchChromium } from '../support/browser';
import { startDemoEnvironment, type DemoEnvironment } from '../support/demo-environment';
import { startUnenrolledTestKioskHost } from '../support/kiosk';
import { label, LANGUAGES, SHOTS, type Language } from '../support/layouts';

/**
 * The kiosk's text must not depend on the machine's fonts. A second Chromium runs with a
 * fontconfig that puts a wide serif font first for every family the system is asked for, as a
 * machine with another font set would; every text box on the kiosk's screens must measure the
 * same in both, while a control text in the system's sans-serif visibly changes.
 */
/** A font every Debian and Ubuntu fontconfig installs (fonts-dejavu-core), wider than the shipped Noto. */
const OTHER_FONT = 'DejaVu Serif';

let environment: DemoEnvironment;
let unenrolled: RunningKioskHost;
let unenrolledFolder: string;
let otherFonts: Browser;
let fontconfigFolder: string;

beforeAll(async () => {
  environment = await startDemoEnvironment();
  unenrolledFolder = mkdtempSync(join(tmpdir(), 'yx-fonts-unenrolled-'));
  unenrolled = await startUnenrolledTestKioskHost(environment.platform.url, unenrolledFolder);
  fontconfigFolder = mkdtempSync(join(tmpdir(), 'yx-fontconfig-'));
  const config = join(fontconfigFolder, 'fonts.conf');
  writeFileSync(
    config,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern"><edit name="family" mode="prepend" binding="strong"><string>${OTHER_FONT}</string></edit></match>
</fontconfig>
`,
  );
  otherFonts = await launchChromium([], { FONTCONFIG_FILE: config });
});

afterAll(async () => {
  await otherFonts?.close();
  await unenrolled?.close();
  await environment?.close();
  for (const folder of [unenrolledFolder, fontconfigFolder]) if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Every element with text of its own, with its box size, once the fonts have loaded. */
async function textBoxes(page: Page): Promise<Record<string, string>> {
  await page.evaluate(() => document.fonts.ready);
  return page.evaluate(() => {
    const boxes: Record<string, string> = {};
    for (const el of document.body.querySelectorAll('*')) {
      const ownText = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent!.trim()).join(' ').trim();
      if (!ownText) continue;
      const range = document.createRange();
      range.selectNodeContents(el);
      const rect = range.getBoundingClientRect();
      boxes[`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${ownText.slice(0, 40)}"`] = `${rect.width.toFixed(1)}×${rect.height.toFixed(1)}`;
    }
    return boxes;
  });
}

/** The control: the same words in whatever sans-serif the system offers. */
async function controlWidth(page: Page): Promise<number> {
  return page.evaluate(() => {
    const span = document.createElement('span');
    span.style.fontFamily = 'sans-serif';
    span.textContent = 'Yuexue Kiosk 2468';
    document.body.append(span);
    const width = span.getBoundingClientRect().width;
    span.remove();
    return width;
  });
}

interface Measured {
  boxes: Record<Language, Record<string, string>>;
  control: number;
  /** Fonts the page fetched from anywhere but the kiosk host. */
  foreignFonts: string[];
  fontsFetched: number;
}

/** One screen in every language, in one browser. */
async function measure(browser: Browser, url: string, screen: string, titleKey: string, readyTestId?: string): Promise<Measured> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const fonts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'font') fonts.push(request.url());
  });
  await page.goto(url);
  // The home paints before the database opens; the sync indicator joins its header once it has.
  if (readyTestId) await page.getByTestId(readyTestId).waitFor();
  const boxes = {} as Measured['boxes'];
  for (const language of LANGUAGES) {
    await page.getByRole('button', { name: label(language, 'language.' + language) }).click();
    await page.getByRole('heading', { name: label(language, titleKey), exact: true }).waitFor();
    boxes[language] = await textBoxes(page);
    await page.screenshot({ path: join(SHOTS, `fonts-${screen}-${language}${browser === otherFonts ? '-other-fonts' : ''}.png`) });
  }
  const measured = { boxes, control: await controlWidth(page), foreignFonts: fonts.filter((f) => !f.startsWith(url)), fontsFetched: fonts.length };
  await context.close();
  return measured;
}

describe('the kiosk ships its fonts: its text measures the same whatever fonts the machine has', () => {
  const screens = [
    { name: 'home', url: () => environment.kiosk.url, titleKey: 'app.title', readyTestId: 'sync-indicator' },
    { name: 'enrolment', url: () => unenrolled.url, titleKey: 'enrol.title', readyTestId: undefined },
  ];
  for (const screen of screens) {
    it.skipIf(process.platform !== 'linux')(`${screen.name} screen in every language`, async () => {
      const usual = await measure(environment.browser, screen.url(), screen.name, screen.titleKey, screen.readyTestId);
      const other = await measure(otherFonts, screen.url(), screen.name, screen.titleKey, screen.readyTestId);
      expect(other.control, `${OTHER_FONT} should replace the system's sans-serif, or this test proves nothing`).not.toBeCloseTo(usual.control, 0);
      expect(usual.fontsFetched).toBeGreaterThan(0);
      expect([...usual.foreignFonts, ...other.foreignFonts]).toEqual([]);
      expect(other.boxes).toEqual(usual.boxes);
    });
  }
});
