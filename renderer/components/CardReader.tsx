import { useCallback } from 'react';
import { CameraPreview } from './CameraPreview';
import { useScanner } from '../checkin/use-scanner';
import { notACard, type NotACard } from '../checkin/scan-kind';
import { noteDeviceSeen } from '../kiosk-status-report';

export type ScanMethod = 'scanner' | 'camera';

interface CardReaderProps {
  /** A learner card's text (still to be verified), and how it was read. */
  onCard: (text: string, method: ScanMethod) => void;
  /** Some other code was held up: a web link, a product barcode… */
  onNotACard: (kind: NotACard) => void;
  /** Whether to show and use the camera now; the USB scanner is always listened to. */
  camera?: boolean;
}

/**
 * The one way every screen that asks for a learner card reads it: the USB scanner wherever focus
 * is, and the camera, alike. Codes that are not learner cards are told apart here, once.
 */
export function CardReader({ onCard, onNotACard, camera = true }: CardReaderProps) {
  const route = useCallback(
    (text: string, method: ScanMethod) => {
      noteDeviceSeen(method);
      const other = notACard(text);
      if (other) onNotACard(other);
      else onCard(text, method);
    },
    [onCard, onNotACard],
  );
  useScanner((text) => route(text, 'scanner'));
  const fromCamera = useCallback((text: string) => route(text, 'camera'), [route]);
  return camera ? <CameraPreview onScan={fromCamera} /> : null;
}
