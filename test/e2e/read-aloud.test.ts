import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../sync/platform/demo-seed';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import { startTestPlatform } from '../support/platform';
import { launchChromium } from '../support/browser';
import { startTestKioskHost } from '../support/kiosk';
import { recordSpeechAudio, spokenAudio } from '../support/speech-audio';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kiosk: RunningKioskHost;
let browser: Browser;

beforeAll(async () => {
  platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  kiosk = await startTestKioskHost(platform.url, kioskCredential!);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await platform?.close();
});

async function homePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await recordSpeechAudio(context);
  const page = await context.newPage();
  await page.goto(kiosk.url);
  await page.getByRole('heading', { name: '粤学终端' }).waitFor();
  return page;
}

describe('read-aloud on a kiosk without system voices (headless Chromium on Linux has none)', () => {
  it('reads the home screen aloud in Mandarin, Cantonese and English with the shipped eSpeak NG', async () => {
    const page = await homePage();
    expect(await page.evaluate(() => speechSynthesis.getVoices().length)).toBe(0);
    for (const [language, button] of [
      ['zh-CN', '简体中文'],
      ['zh-HK', '繁體中文（粵語）'],
      ['en', 'English'],
    ] as const) {
      await page.getByRole('button', { name: button }).click();
      await page.getByTestId('read-aloud').click();
      // The title first, then the rest of the screen: several seconds of sound, not silence.
      const audio = await spokenAudio(page, 2, 30_000);
      expect(audio.seconds, language).toBeGreaterThan(4);
      expect(audio.rms, language).toBeGreaterThan(0.03);
      await page.evaluate(() => (window as unknown as { __spoken: unknown[] }).__spoken.splice(0));
    }
    await page.context().close();
  });
});
