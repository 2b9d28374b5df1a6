import { readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

/**
 * How the kiosk asks zxing-wasm for learner cards: QR only (fewer false reads, faster) and the
 * text exactly as encoded. Shared by the camera scanner and the QR benchmark so the figures the
 * benchmark prints are the ones the kiosk gets.
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  textMode: 'Plain',
  maxNumberOfSymbols: 1,
};

/**
 * The camera also reads the linear barcodes found on products, so that holding one up gets "this
 * is not a learner card" rather than silence or "cannot read". Decoding runs in a worker, where
 * the extra formats cost the page nothing.
 */
export const CAMERA_READER_OPTIONS: ReaderOptions = {
  ...QR_READER_OPTIONS,
  formats: ['QRCode', 'EAN-13', 'EAN-8', 'UPC-A', 'UPC-E', 'Code128'],
};

/**
 * Options ZXing does not try by default, each of which read corpus photos the defaults miss
 * (`npm run bench -- qr`: 165 → 169 of 179; the other misses are damaged codes).
 */
export const QR_RETRY_OPTIONS: readonly ReaderOptions[] = [
  { ...QR_READER_OPTIONS, binarizer: 'GlobalHistogram' },
  { ...QR_READER_OPTIONS, tryDenoise: true },
  { ...QR_READER_OPTIONS, binarizer: 'GlobalHistogram', tryDenoise: true },
];

/**
 * For a camera, whose next frame is a second chance anyway: every other frame tries one of the
 * retry options instead of the defaults, so hard cards get read at no extra cost per frame.
 */
export function readerOptionsForFrame(frameNumber: number): ReaderOptions {
  if (frameNumber % 2 === 0) return QR_READER_OPTIONS;
  return QR_RETRY_OPTIONS[Math.floor(frameNumber / 2) % QR_RETRY_OPTIONS.length] ?? QR_READER_OPTIONS;
}

/** The text of the first valid code in the frame (QR codes unless other formats are asked for), or null. */
export async function readQrText(frame: ImageData, options: ReaderOptions = QR_READER_OPTIONS): Promise<string | null> {
  const results = await readBarcodes(frame, options);
  const found = results.find((r) => r.isValid && r.text.length > 0);
  return found ? found.text : null;
}
