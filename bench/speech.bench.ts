/**
 * speech_start_ms per language: on the kiosk's home screen in headless Chromium (no system
 * voices, as on a Linux kiosk), the time from tapping "read it to me" to the first speech audio
 * starting, made by the shipped eSpeak NG in its worker; median over `--runs` taps (default 5),
 * after one tap that compiles the synthesizer.
 */
import { seedDemo } from '../sync/platform/demo-seed';
import { launchChromium } from '../test/support/browser';
import { startTestKioskHost } from '../test/support/kiosk';
import { startTestPlatform } from '../test/support/platform';
import { recordSpeechAudio } from '../test/support/speech-audio';

const LANGUAGE_BUTTONS = { 'zh-CN': '简体中文', 'zh-HK': '繁體中文（粵語）', en: 'English' } as const;

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const runs = option(args, '--runs', 5);
  const platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  const kiosk = await startTestKioskHost(platform.url, kioskCredential!);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await recordSpeechAudio(context);
    const page = await context.newPage();
    await page.goto(kiosk.url);
    await page.getByRole('heading', { name: '粤学终端' }).waitFor();
    for (const [language, button] of Object.entries(LANGUAGE_BUTTONS)) {
      await page.getByRole('button', { name: button }).click();
      const samples: number[] = [];
      for (let run = 0; run <= runs; run++) {
        // Tapped and timed inside the page, so the driver's round trip is not counted.
        const ms = await page.evaluate(async () => {
          const spoken = (window as unknown as { __spoken: { at: number }[] }).__spoken;
          spoken.splice(0);
          const tappedAt = performance.now();
          (document.querySelector('[data-testid="read-aloud"]') as HTMLButtonElement).click();
          while (spoken.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          return spoken[0]!.at - tappedAt;
        });
        // The first tap of the page includes compiling the synthesizer, which the kiosk does at start.
        if (run > 0) samples.push(ms);
      }
      samples.sort((a, b) => a - b);
      const median = samples[Math.floor(samples.length / 2)]!;
      console.log(JSON.stringify({ bench: 'speech', metric: 'speech_start_ms', language, engine: 'espeak-ng', runs, value: Math.round(median) }));
    }
  } finally {
    await browser.close();
    await kiosk.close();
    await platform.close();
  }
}
