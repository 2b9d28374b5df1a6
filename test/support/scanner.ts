import type { CDPSession, Page } from 'playwright-core';

/** Sends every key's down and up at once, not awaiting each: the browser still delivers them in order. */
async function burst(session: CDPSession, keys: string[]): Promise<void> {
  await Promise.all(
    keys.flatMap((key) => {
      const enter = key === 'Enter';
      const common = enter ? { key, code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 } : { key };
      return [
        session.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, text: enter ? '\r' : key, unmodifiedText: enter ? '\r' : key }),
        session.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common }),
      ];
    }),
  );
}

/**
 * A USB scanner presenting a code through the browser's real keyboard input (trusted key events,
 * so a key that leaked would really land in a focused text box), ending with Enter. With `stallMs`,
 * the scanner stalls that long halfway, as one does when the kiosk is busy.
 *
 * The keys go out as one burst, as a scanner sends them: page.keyboard.type waits for the page to
 * handle each key before sending the next, so on a loaded machine the gaps between keys grew past
 * the 80 ms at which the kiosk rightly reads them as a person typing. For the same reason the stall
 * is timed from sending the first half, not from the page having handled it.
 */
export async function scanWithKeyboard(page: Page, text: string, stallMs = 0): Promise<void> {
  const session = await page.context().newCDPSession(page);
  try {
    const keys = [...text, 'Enter'];
    if (stallMs > 0) {
      const half = Math.floor(text.length / 2);
      const first = burst(session, keys.slice(0, half));
      await new Promise((resolve) => setTimeout(resolve, stallMs));
      await Promise.all([first, burst(session, keys.slice(half))]);
    } else {
      await burst(session, keys);
    }
  } finally {
    await session.detach();
  }
}
