import type { BrowserContext, Page } from 'playwright-core';

export interface SpokenAudio {
  /** Seconds of sound scheduled so far. */
  seconds: number;
  /** Root mean square of those samples: 0 is silence. */
  rms: number;
  /** performance.now() when the first part started playing. */
  firstStartedAt: number;
}

/**
 * Records every buffer the page plays through Web Audio (eSpeak's speech), since a headless
 * browser has no speakers to listen to. Installed before the page's own scripts run.
 */
export async function recordSpeechAudio(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const spoken: { at: number; seconds: number; sumSquares: number; samples: number }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    const start = AudioBufferSourceNode.prototype.start;
    AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, ...args: Parameters<typeof start>) {
      const data = this.buffer?.getChannelData(0);
      if (data && data.length > 4000) {
        let sumSquares = 0;
        for (const x of data) sumSquares += x * x;
        spoken.push({ at: performance.now(), seconds: this.buffer!.duration, sumSquares, samples: data.length });
      }
      return start.apply(this, args);
    };
  });
}

/** Waits for at least `parts` speech buffers to have started, and sums them up. */
export async function spokenAudio(page: Page, parts: number, timeout: number): Promise<SpokenAudio> {
  await page.waitForFunction((n) => (window as unknown as { __spoken: unknown[] }).__spoken.length >= n, parts, { timeout });
  return page.evaluate(() => {
    const spoken = (window as unknown as { __spoken: { at: number; seconds: number; sumSquares: number; samples: number }[] }).__spoken;
    const samples = spoken.reduce((n, s) => n + s.samples, 0);
    return {
      seconds: spoken.reduce((n, s) => n + s.seconds, 0),
      rms: Math.sqrt(spoken.reduce((n, s) => n + s.sumSquares, 0) / samples),
      firstStartedAt: spoken[0]!.at,
    };
  });
}
