export interface BackoffSettings {
  /** The wait before the first retry. */
  firstDelayMs: number;
  /** The longest wait: a kiosk keeps trying, just not in a tight loop. */
  maxDelayMs: number;
  /** A failure this long after the previous one starts the count again. */
  stableAfterMs: number;
}

export const KIOSK_RECOVERY_BACKOFF: BackoffSettings = { firstDelayMs: 1000, maxDelayMs: 60_000, stableAfterMs: 5 * 60_000 };

/** Exponential: first, 2×first, 4×first, … capped at max. `failure` counts from 0. */
export function backoffDelayMs(failure: number, settings: BackoffSettings): number {
  return Math.min(settings.maxDelayMs, settings.firstDelayMs * 2 ** Math.max(0, failure));
}

/**
 * Counts failures that come close together: a renderer that crashes once a week is reloaded after
 * a second each time; one that crashes on every load waits longer and longer, up to the cap.
 */
export class RecoveryBackoff {
  private failures = 0;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: BackoffSettings = KIOSK_RECOVERY_BACKOFF) {}

  /** Records a failure at `now`; returns how long to wait before recovering and how many failures came in a row. */
  failure(now: number): { delayMs: number; inARow: number } {
    if (now - this.lastFailureAt > this.settings.stableAfterMs) this.failures = 0;
    this.lastFailureAt = now;
    const delayMs = backoffDelayMs(this.failures, this.settings);
    this.failures += 1;
    return { delayMs, inARow: this.failures };
  }
}
