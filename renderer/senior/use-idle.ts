import { useEffect, useState } from 'react';

/** How long the "are you still here?" countdown lasts before the kiosk resets. */
export const COUNTDOWN_SECONDS = 10;

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

/**
 * Watches for touches and keys (a card scanner types, so a scan counts). After idleSeconds of
 * none, `secondsLeft` counts down from COUNTDOWN_SECONDS; at 0, onTimeout runs. Any activity,
 * or stillHere() (the overlay's button), starts the wait again. Disabled while
 * there is nothing to reset, so an untouched home screen never shows a countdown.
 */
export function useIdle(idleSeconds: number, enabled: boolean, onTimeout: () => void): { secondsLeft: number | null; stillHere: () => void } {
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const [activity, setActivity] = useState(0);
  const stillHere = () => {
    setSecondsLeft(null);
    setActivity((n) => n + 1);
  };

  useEffect(() => {
    const onActivity = (event: Event) => {
      // A tap on the countdown is handled by its own click, so the button it lands on stays
      // mounted until the click completes.
      if (event.target instanceof Element && event.target.closest('.idle-overlay')) return;
      stillHere();
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (!enabled) return;
    let countdown: ReturnType<typeof setInterval> | undefined;
    const idle = setTimeout(() => {
      let left = COUNTDOWN_SECONDS;
      setSecondsLeft(left);
      countdown = setInterval(() => {
        left -= 1;
        if (left > 0) return setSecondsLeft(left);
        clearInterval(countdown);
        setSecondsLeft(null);
        onTimeout();
      }, 1000);
    }, idleSeconds * 1000);
    return () => {
      clearTimeout(idle);
      clearInterval(countdown);
    };
    // onTimeout is a fresh closure each render; the timers restart only on activity or enabling.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activity, enabled, idleSeconds]);

  return { secondsLeft, stillHere };
}
