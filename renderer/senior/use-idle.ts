import { useCallback, useEffect, useRef, useState } from 'react';

/** How long the "are you still here?" countdown lasts before the kiosk resets. */
export const COUNTDOWN_SECONDS = 10;

// Scroll does not bubble, but a capturing listener on the window still sees every element's:
// a learner scrolling a reading is there.
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;
// When a lesson's audio or video stops, the normal wait starts from then, not from the last touch.
const MEDIA_STOPPED_EVENTS = ['pause', 'ended'] as const;

/** Activity the window cannot see, such as scrolling inside a lesson's own page (an iframe). */
const outsideActivity = new Set<() => void>();
export function noteActivity(): void {
  for (const restart of outsideActivity) restart();
}

/**
 * Someone watching or listening to a lesson touches nothing for minutes, and is still there. The
 * camera's preview is a playing video too, but of a live stream (srcObject): it never counts.
 */
function mediaPlaying(): boolean {
  return [...document.querySelectorAll<HTMLMediaElement>('video, audio')].some((m) => m.srcObject === null && !m.paused && !m.ended);
}

/**
 * Watches for touches, keys (a card scanner types, so a scan counts) and scrolling. After
 * idleSeconds of none, while no lesson audio or video is playing, `secondsLeft` counts down from COUNTDOWN_SECONDS; at 0, onTimeout runs. Any activity,
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
        if (mediaPlaying()) return schedule();
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
    const onMediaStopped = () => restart.current();
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { capture: true, passive: true });
    for (const type of MEDIA_STOPPED_EVENTS) window.addEventListener(type, onMediaStopped, { capture: true });
    const onOutside = () => restart.current();
    outsideActivity.add(onOutside);
    schedule();
    return () => {
      clearTimeout(idle);
      clearInterval(countdown);
      restart.current = () => undefined;
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
      for (const type of MEDIA_STOPPED_EVENTS) window.removeEventListener(type, onMediaStopped, { capture: true });
      outsideActivity.delete(onOutside);
    };
  }, [enabled, idleSeconds]);

  const stillHere = useCallback(() => restart.current(), []);
  return { secondsLeft, stillHere };
}
