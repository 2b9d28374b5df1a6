/**
 * Tells a USB keyboard-wedge scanner from a person typing: a scanner "types" the whole card in
 * a burst (a few ms between keys) and ends with Enter; people are far slower than maxGapMs.
 */
export interface ScannerBurstOptions {
  maxGapMs: number;
  minLength: number;
  onScan: (text: string) => void;
  now?: () => number;
}

export class ScannerBurstDetector {
  private buffer = '';
  private lastKeyAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: ScannerBurstOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Feed every keydown; returns true when the key was part of a scan and should be swallowed. */
  handleKey(key: string): boolean {
    const at = this.now();
    const gap = at - this.lastKeyAt;
    this.lastKeyAt = at;
    if (gap > this.options.maxGapMs) this.buffer = '';
    if (key === 'Enter') {
      const text = this.buffer;
      this.buffer = '';
      if (text.length >= this.options.minLength) {
        this.options.onScan(text);
        return true;
      }
      return false;
    }
    if (key.length === 1) {
      this.buffer += key;
      return this.buffer.length > 1;
    }
    return false;
  }
}
