import { CARD_PREFIX } from '../../sync/protocol/learner-card';

/** What a code that is not a learner card most likely is, so the kiosk can say so in plain words. */
export type NotACard = 'not-a-card-link' | 'not-a-card-barcode' | 'not-a-card';

/**
 * Learner cards all begin with `YX:`; anything else a camera or scanner reads is some other code
 * (a WeChat QR, a web address, a product's barcode). Telling the learner "cannot read, try again"
 * would invite endless retries with the wrong thing.
 */
export function notACard(text: string): NotACard | null {
  if (text.startsWith(CARD_PREFIX)) return null;
  if (/^(https?:\/\/|www\.|weixin:\/\/|wxp:\/\/)/i.test(text.trim())) return 'not-a-card-link';
  // EAN-8, UPC-A, EAN-13 and ITF-14 are all digits, of these lengths.
  if (/^(\d{8}|\d{12,14})$/.test(text.trim())) return 'not-a-card-barcode';
  return 'not-a-card';
}
