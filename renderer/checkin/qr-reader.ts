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

/** The text of the first valid QR code in the frame, or null. */
export async function readQrText(frame: ImageData, options: ReaderOptions = QR_READER_OPTIONS): Promise<string | null> {
  const results = await readBarcodes(frame, options);
  const found = results.find((r) => r.isValid && r.text.length > 0);
  return found ? found.text : null;
}
