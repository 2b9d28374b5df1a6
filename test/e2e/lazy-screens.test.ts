import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startKioskHost, type KioskHostOptions, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { expectAccessible, launchChromium } from '../support/browser';
import { TEST_STAFF_PIN, testSettings } from '../support/kiosk';

/**
 * Only the home is in the renderer's first bundle (npm run bench -- startup); every other screen
 * is a chunk the kiosk host serves on first use. These run with no platform at all (port 9 on
 * loopback: nothing listens), as at a site whose network is down.
 */
const NO_PLATFORM = 'http://127.0.0.1:9';

let browser: Browser;
let folder: string;
let options: KioskHostOptions;
let host: RunningKioskHost;

/** Script files the page asked for, in order. */
function watchScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' || new URL(request.url()).pathname.endsWith('.js')) scripts.push(request.url());
  });
  return scripts;
}

/** Font files the page asked for (the kiosk's unicode-range pieces), by file name. */
function watchFonts(page: Page): string[] {
  const fonts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'font') fonts.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  return fonts;
}

const chunk = (scripts: string[], name: string) => scripts.filter((url) => new URL(url).pathname.split('/').pop()!.startsWith(`${name}-`));

async function openHome(page: Page) {
  await page.goto(host.url);
  await page.getByRole('heading', { name: '粤学终端' }).waitFor();
  // The database has opened (the indicator shows with it) and the platform is known to be away.
  await expect.poll(() => page.getByTestId('sync-indicator').textContent(), { timeout: 30_000 }).toContain('离线也可使用');
}

beforeAll(async () => {
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'yx-lazy-'));
  options = {
    settings: await testSettings(NO_PLATFORM),
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: 'no-platform' },
    journalFile: join(folder, JOURNAL_FILE),
  };
  host = await startKioskHost(options);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('screens loaded on first use', () => {
  it('shows the home without the staff screens, then loads them from the kiosk host while the platform is down', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts = watchScripts(page);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    try {
      await openHome(page);
      await expectAccessible(page);
      expect(chunk(scripts, 'home')).toHaveLength(1);
      expect(chunk(scripts, 'StaffPinScreen')).toEqual([]);
      expect(chunk(scripts, 'StaffSessionsScreen')).toEqual([]);

      await page.getByRole('button', { name: '工作人员' }).click();
      for (const digit of TEST_STAFF_PIN) await page.getByRole('button', { name: `数字 ${digit}` }).click();
      await page.getByRole('button', { name: '进入' }).click();
      await page.getByTestId('sync-status').waitFor();
      await expectAccessible(page);

      expect(chunk(scripts, 'StaffPinScreen')).toHaveLength(1);
      expect(chunk(scripts, 'StaffSessionsScreen')).toHaveLength(1);
      // Every script came from the kiosk host, and none failed: nothing needs the network.
      for (const url of scripts) expect(new URL(url).origin).toBe(new URL(host.url).origin);
      expect(failed).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says so and offers a retry when a screen fails to load, and the retry opens it once the kiosk host is back', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts = watchScripts(page);
    try {
      await openHome(page);
      // The host restarts (an update, a crash): for a moment nothing answers on its port.
      const port = Number(new URL(host.url).port);
      await host.close();
      await page.getByRole('button', { name: '我的学分' }).click();
      const problem = page.getByTestId('screen-load-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toContain('这个页面没能打开');
      expect(await page.getByRole('alert').count()).toBe(1);
      await expectAccessible(page);

      host = await startKioskHost({ ...options, port });
      await page.getByRole('button', { name: '重试' }).click();
      await page.getByText('请扫描您的学员卡，查看学时和学分').waitFor();
      expect(await page.getByTestId('screen-load-problem').count()).toBe(0);
      // Asked for twice: once while the host was away, once on the retry.
      expect(chunk(scripts, 'CreditsScreen').length).toBeGreaterThanOrEqual(2);

      await page.getByRole('button', { name: '首页' }).click();
      await page.getByRole('button', { name: '我的学分' }).waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('the home drawn in its own glyphs', () => {
  it('fetches no font piece for the zh-CN or the English home, whose glyphs come with the entry script, and the zh-HK home still gets its pieces', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fonts = watchFonts(page);
    const settled = () => page.evaluate(async () => void (await document.fonts.ready));
    try {
      await openHome(page);
      await settled();
      // A failure here names the pieces: the home shows text renderer/i18n/first-screen.ts does not list.
      expect(fonts).toEqual([]);

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Yuexue Kiosk' }).waitFor();
      await settled();
      expect(fonts).toEqual([]);

      // Only the default language's home is carried (scripts/first-screen-fonts.ts): zh-HK's
      // home fetches its pieces as any other text does.
      await page.getByRole('button', { name: '繁體中文（粵語）' }).click();
      await page.getByRole('heading', { name: '粵學終端' }).waitFor();
      await settled();
      expect(fonts.filter((name) => name.startsWith('noto-sans-hk-')).length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
