import { useEffect, useState } from 'react';
import { qrDataUrl } from './qr-data-url';

/** A QR code of `text`, drawn once the encoder has run (a few milliseconds). */
export function QrImage({ text, alt, className, testId = 'qr-image' }: { text: string; alt: string; className?: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void qrDataUrl(text).then((url) => current && setSrc(url));
    return () => {
      current = false;
    };
  }, [text]);
  return src ? <img src={src} alt={alt} className={className} data-testid={testId} data-qr-text={text} /> : null;
}
