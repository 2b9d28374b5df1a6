import { useEffect, useRef } from 'react';
import { ScannerBurstDetector } from './scanner-input';

function isTextBox(element: EventTarget | null): element is HTMLInputElement | HTMLTextAreaElement {
  if (element instanceof HTMLTextAreaElement) return true;
  return element instanceof HTMLInputElement && ['text', 'search', 'tel', 'number', 'email', 'url', 'password', ''].includes(element.type);
}

/**
 * Listens for USB keyboard-wedge scans anywhere on the page while the screen is shown, wherever
 * focus is: a scan into a focused search box is a scan, not text. Keys a person typed into a
 * text box are put back where they were typed.
 */
export function useScanner(onScan: (text: string) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  useEffect(() => {
    const detector = new ScannerBurstDetector({
      onScan: (text) => handler.current(text),
      onTyped: (text) => {
        // insertText keeps the caret, undo, and React's onChange working as if typed.
        if (isTextBox(document.activeElement)) document.execCommand('insertText', false, text);
      },
    });
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      if (!detector.handleKey(event.key, event.timeStamp, isTextBox(event.target))) return;
      event.preventDefault();
      event.stopPropagation();
    };
    // Capturing, so the page's own key handlers never see half a card (other window listeners,
    // such as the idle timer's, still do: a scan is activity).
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);
}
