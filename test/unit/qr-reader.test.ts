import { describe, expect, it } from 'vitest';
import { QR_READER_OPTIONS, QR_RETRY_OPTIONS, readerOptionsForFrame } from '../../renderer/checkin/qr-reader';

describe('camera reader options per frame', () => {
  it('uses the defaults on every other frame and cycles through each retry option in between', () => {
    const options = Array.from({ length: 2 * QR_RETRY_OPTIONS.length }, (_, n) => readerOptionsForFrame(n));
    expect(options.filter((_, n) => n % 2 === 0).every((o) => o === QR_READER_OPTIONS)).toBe(true);
    expect(options.filter((_, n) => n % 2 === 1)).toEqual(QR_RETRY_OPTIONS);
  });

  it('always asks for QR codes only, as plain text', () => {
    for (const options of [QR_READER_OPTIONS, ...QR_RETRY_OPTIONS]) expect(options).toMatchObject({ formats: ['QRCode'], textMode: 'Plain' });
  });
});
