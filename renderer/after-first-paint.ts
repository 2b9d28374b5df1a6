/**
 * Resolves once the browser has painted what was rendered before the call: start-up work the home
 * screen does not need (the journal check, the first sync, warming the speech synthesizer) waits
 * for this, so it never delays the home's first paint. A frame, then a task after it: the paint
 * happens between the two.
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
