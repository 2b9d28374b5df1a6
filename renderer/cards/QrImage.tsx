import { useEffect, useState } from 'react';
import { qrDataUrl } from './card-qr';

/** A QR code of `text`, drawn once the encoder has run (a few milliseconds). */
export function QrImage({ text, alt, className }: { text: string; alt: string; className?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void qrDataUrl(text).then((url) => current && setSrc(url));
    return () => {
      current = false;
    };
  }, [text]);
  return src ? <img src={src} alt={alt} className={className} data-testid="qr-image" data-qr-text={text} /> : null;
}
