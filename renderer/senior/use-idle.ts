import { useCallback, useEffect, useRef, useState } from 'react';

/** How long the "are you still here?" countdown lasts before the kiosk resets. */
export const COUNTDOWN_SECONDS = 10;

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

/**
 * Watches for touches and keys (a card scanner types, so a scan counts). After idleSeconds of
 * none, `secondsLeft` counts down from COUNTDOWN_SECONDS; at 0, onTimeout runs. Any activity,
 * or stillHere() (the overlay's button), starts the wait again. Disabled while there is nothing
 * to reset, so an untouched home screen never shows a countdown.
 *
 * Activity only restarts timers and sets no React state while no countdown shows: a scanner
 * types a card in a burst a few ms apart, and a re-render per key could stretch the gaps
 * enough to split the scan.
 */
export function useIdle(idleSeconds: number, enabled: boolean, onTimeout: () => void): { secondsLeft: number | null; stillHere: () => void } {
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const timeout = useRef(onTimeout);
  const restart = useRef<() => void>(() => undefined);
  useEffect(() => {
    timeout.current = onTimeout;
  }, [onTimeout]);

  useEffect(() => {
    if (!enabled) return;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let countdown: ReturnType<typeof setInterval> | undefined;
    let counting = false;
    const schedule = () => {
      clearTimeout(idle);
      clearInterval(countdown);
      idle = setTimeout(() => {
        let left = COUNTDOWN_SECONDS;
        counting = true;
        setSecondsLeft(left);
        countdown = setInterval(() => {
          left -= 1;
          if (left > 0) return setSecondsLeft(left);
          clearInterval(countdown);
          counting = false;
          setSecondsLeft(null);
          timeout.current();
        }, 1000);
      }, idleSeconds * 1000);
    };
    restart.current = () => {
      if (counting) {
        counting = false;
        setSecondsLeft(null);
      }
      schedule();
    };
    const onActivity = (event: Event) => {
      // A tap on the countdown is handled by its own click, so the button it lands on stays
      // mounted until the click completes.
      if (event.target instanceof Element && event.target.closest('.idle-overlay')) return;
      restart.current();
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    schedule();
    return () => {
      clearTimeout(idle);
      clearInterval(countdown);
      restart.current = () => undefined;
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [enabled, idleSeconds]);

  const stillHere = useCallback(() => restart.current(), []);
  return { secondsLeft, stillHere };
}
