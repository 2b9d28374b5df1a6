import type { Page } from 'playwright-core';
import { COUNTDOWN_SECONDS } from '../../renderer/senior/use-idle';
import { TEST_IDLE_SECONDS } from './kiosk';

/**
 * The idle reset without the wait: on a page whose clock was installed before it loaded
 * (`page.clock.install()`, which then runs in real time), jump a second past what is left of the
 * kiosk's idle time (all of it, unless the test has already moved the clock on since the last
 * touch) and see the "still here?" countdown come up. The page's own timers fire, as they would
 * after a real minute alone.
 */
export async function leaveIdle(page: Page, secondsLeft = TEST_IDLE_SECONDS): Promise<void> {
  await page.clock.fastForward((secondsLeft + 1) * 1000);
  await page.getByTestId('idle-overlay').waitFor();
}

/** Lets the countdown run out: every tick of it fires (runFor, not a jump that fires each timer once). */
export async function runOutCountdown(page: Page): Promise<void> {
  await page.clock.runFor(COUNTDOWN_SECONDS * 1000);
}
