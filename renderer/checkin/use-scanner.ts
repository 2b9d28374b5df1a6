import { useEffect, useRef } from 'react';
import { ScannerBurstDetector } from './scanner-input';

/** Listens for USB keyboard-wedge scans anywhere on the page while the screen is shown. */
export function useScanner(onScan: (text: string) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  useEffect(() => {
    const detector = new ScannerBurstDetector({ maxGapMs: 60, minLength: 8, onScan: (text) => handler.current(text) });
    const onKeyDown = (event: KeyboardEvent) => {
      if (detector.handleKey(event.key)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
