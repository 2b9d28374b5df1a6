import { pinyin } from 'pinyin-pro';

/**
 * What a search box matches against, worked out once per record rather than per keystroke, so
 * each keystroke is only a substring scan: a few milliseconds over ten thousand records, offline.
 */
export interface SearchKeys {
  /** The record's own words, lower case, without spaces. */
  text: string;
  /** Full pinyin of its Chinese without tones or spaces ("guangdongcai…"). */
  spelled: string;
  /** Pinyin initials ("gdc…"): how seniors often type on a pinyin keyboard, and how staff find names. */
  initials: string;
}

export function compact(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

export function searchKeys(words: string, chinese: string): SearchKeys {
  return {
    text: compact(words),
    spelled: compact(pinyin(chinese, { toneType: 'none', type: 'array' }).join('')),
    initials: compact(pinyin(chinese, { pattern: 'first', toneType: 'none', type: 'array' }).join('')),
  };
}

/** Whether a query (already compacted) is in the words, the pinyin or the pinyin initials. */
export function matchesKeys(keys: SearchKeys, query: string): boolean {
  return keys.text.includes(query) || keys.spelled.includes(query) || keys.initials.includes(query);
}
