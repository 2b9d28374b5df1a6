/**
 * Resolves once the browser has painted what was rendered before the call: start-up work the home
 * screen does not need waits for this, so it never delays the home's first paint. A frame, then a
 * task after it: the paint happens between the two.
 */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    // A hidden page (a kiosk window being shown) gets no frames: the timeout stands in.
    const fallback = setTimeout(resolve, 500);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/** How long the home may wait for an idle moment before its background work starts anyway. */
const IDLE_WAIT_MS = 1000;

/**
 * Resolves once the home is painted in its own fonts and the page has nothing else to do: the
 * database and sync start then, so their work does not hold up the home's first frames, nor the
 * layout the fonts bring when they arrive. A screen that needs the database sooner asks for it
 * at once (App.tsx).
 */
export async function whenHomeSettled(): Promise<void> {
  await afterFirstPaint();
  // Fonts a page never uses are never fetched, so this waits only for the home's own.
  await document.fonts.ready;
  await new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: IDLE_WAIT_MS }));
}

/**
 * Gives the page a turn between steps of long background work (loading and opening the
 * database), so a tap or a frame waits for one small step, not the whole of it. scheduler.yield
 * keeps the work's place ahead of other background tasks; Node (the unit tests) has a timer.
 */
export function yieldToPage(): Promise<void> {
  return typeof scheduler !== 'undefined' && typeof scheduler.yield === 'function' ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
