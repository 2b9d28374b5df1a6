/**
 * `npm run bench -- checkin [LEARNERS]`: the time from a learner card coming into the camera's
 * view to the confirmation on screen, on the built renderer in headless Chromium. Chromium's fake
 * camera plays learner after learner holding up a card; each card frame carries a dark corner
 * marker (test/support/fake-camera.ts), which the page watches frame by frame. Prints
 * {"bench":"checkin","samples":N,"missed":N,"median_ms":x,"p95_ms":x}. Run `npm run build` first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedDemo } from '../sync/platform/demo-seed';
import { startTestPlatform, demoSessionsOpenNow } from '../test/support/platform';
import { allowTsxFunctions, launchChromium } from '../test/support/browser';
import { startTestKioskHost } from '../test/support/kiosk';
import { openSessionAsStaff } from '../test/support/staff';
import { CARD_MARKER_PIXELS, writeCameraVideo, type CameraScene } from '../test/support/fake-camera';

const FRAMES_WITHOUT_CARD = 8;
const FRAMES_WITH_CARD = 12;
const FRAMES_PER_SECOND = 10;
/** The video loops; the second time round every learner is "already checked in", also a confirmation. */
const LOOPS = 2;
const CARD_IN_VIEW_MS = (FRAMES_WITH_CARD / FRAMES_PER_SECOND) * 1000;

interface Timeline {
  cardsAppeared: number[];
  confirmations: number[];
}

/** Records, in page time, when a card frame follows an empty one, and when a new answer shows. */
async function watchCheckIns(page: Page): Promise<void> {
  await page.locator('[data-testid=camera-preview][data-camera=running] video').waitFor({ state: 'attached' });
  await allowTsxFunctions(page);
  await page.evaluate((markerPixels) => {
    const timeline: Timeline = { cardsAppeared: [], confirmations: [] };
    (window as unknown as { benchTimeline: Timeline }).benchTimeline = timeline;
    const video = document.querySelector<HTMLVideoElement>('[data-testid=camera-preview] video')!;
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    let cardShown: boolean | null = null;
    const onFrame = () => {
      const at = performance.now();
      context.drawImage(video, 0, 0, markerPixels, markerPixels, 0, 0, 1, 1);
      const dark = context.getImageData(0, 0, 1, 1).data[0]! < 128;
      if (dark && cardShown === false) timeline.cardsAppeared.push(at);
      cardShown = dark;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    let lastAnswer: string | null = null;
    new MutationObserver(() => {
      const answer = document.querySelector('[data-testid=checkin-result]')?.textContent ?? null;
      if (answer !== null && answer !== lastAnswer) timeline.confirmations.push(performance.now());
      lastAnswer = answer;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, CARD_MARKER_PIXELS);
}

/**
 * Pairs each card with the first answer after it and before the next card. A card that came into
 * view less than a card's time before the end had no fair chance yet and is left out.
 */
function latencies({ cardsAppeared, confirmations }: Timeline, endedAt: number): { values: number[]; missed: number } {
  const values: number[] = [];
  let missed = 0;
  cardsAppeared.forEach((at, i) => {
    if (at > endedAt - CARD_IN_VIEW_MS) return;
    const next = cardsAppeared[i + 1] ?? Number.POSITIVE_INFINITY;
    const answer = confirmations.find((c) => c >= at && c < next);
    if (answer === undefined) missed++;
    else values.push(answer - at);
  });
  return { values, missed };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function run(args: string[]): Promise<void> {
  const learners = Number(args[0] ?? 10);
  const folder = await mkdtemp(join(tmpdir(), 'yx-bench-checkin-'));
  const platform = await startTestPlatform();
  try {
    const { kioskCredential } = await seedDemo(platform.database.pool, null);
    await demoSessionsOpenNow(platform.database.pool);
    const { rows } = await platform.database.pool.query<{ card_text: string }>(
      'select card_text from learner_cards order by serial limit $1',
      [learners],
    );
    const scenes: CameraScene[] = rows.flatMap((r) => [
      { cardText: null, frames: FRAMES_WITHOUT_CARD },
      { cardText: r.card_text, frames: FRAMES_WITH_CARD },
    ]);
    const video = join(folder, 'learners.y4m');
    await writeCameraVideo(video, scenes, { tiltDegrees: 6, blurRadius: 1, sizePixels: 400 });
    const kiosk = await startTestKioskHost(platform.url, kioskCredential!);
    const browser = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      await openSessionAsStaff(page, kiosk.url);
      await page.getByRole('button', { name: '去签到页面' }).click();
      await watchCheckIns(page);
      const videoSeconds = (rows.length * (FRAMES_WITHOUT_CARD + FRAMES_WITH_CARD)) / FRAMES_PER_SECOND;
      await page.waitForTimeout(videoSeconds * LOOPS * 1000);
      const [timeline, endedAt] = await page.evaluate(
        () => [(window as unknown as { benchTimeline: Timeline }).benchTimeline, performance.now()] as const,
      );
      const { values, missed } = latencies(timeline, endedAt);
      console.log(
        JSON.stringify({
          bench: 'checkin',
          samples: values.length,
          missed,
          median_ms: Number(percentile(values, 50).toFixed(1)),
          p95_ms: Number(percentile(values, 95).toFixed(1)),
        }),
      );
    } finally {
      await browser.close();
      await kiosk.close();
    }
  } finally {
    await platform.close();
    await rm(folder, { recursive: true, force: true });
  }
}
