import { useSyncExternalStore } from 'react';

/** Base text sizes in px; every length in styles.css that holds text is in rem, so all of it scales. */
export const TEXT_SIZES = [24, 32, 40] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
export const DEFAULT_TEXT_SIZE: TextSize = 24;

// One setting for the whole page, changed from any screen's header: a tiny store rather than a
// React context, so screens other features add get it through ScreenFrame without a provider.
let current: TextSize = DEFAULT_TEXT_SIZE;
const listeners = new Set<() => void>();

export function setTextSize(size: TextSize) {
  current = size;
  document.documentElement.style.fontSize = `${size}px`;
  for (const listener of listeners) listener();
}

export function useTextSize(): TextSize {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
