import QRCode from 'qrcode';

/**
 * A QR code as an SVG data URL for an <img>, drawn on the kiosk so it needs nothing from outside:
 * sharp at any size on screen and on paper, and an image element can carry alt text. The same
 * error correction as the printed cards (M), with the standard four-module quiet zone so phone
 * cameras and USB scanners find it on a screen.
 */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
