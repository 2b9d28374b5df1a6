import { CARD_PREFIX } from '../../sync/protocol/learner-card';

/**
 * Tells a USB keyboard-wedge scanner from a person typing. A scanner "types" the whole code in a
 * burst ending with Enter; people are far slower between keys than startGapMs. Once a burst is
 * under way (it began with the learner card's `YX:` prefix, or UNDER_WAY_KEYS keys came fast),
 * a stall of up to stallMs, as when a slow kiosk is busy or a scanner pauses, does not split it.
 *
 * In a text box, keys that may be the start of a burst are held back and handed to onTyped when
 * they turn out to be typing, so a scan never leaks its first characters into the box.
 */
export interface ScannerBurstOptions {
  onScan: (text: string) => void;
  /** Held keys that were a person typing after all, to be put where they were typed. */
  onTyped?: (text: string) => void;
  minLength?: number;
  startGapMs?: number;
  stallMs?: number;
  /** Runs fn after ms; returns a cancel function. A parameter so tests can use a fake clock. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

/** Nobody types this many keys each within startGapMs of the last. */
const UNDER_WAY_KEYS = 4;

const defaultTimer = (fn: () => void, ms: number) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export class ScannerBurstDetector {
  private buffer = '';
  private held = '';
  private lastKeyAt = -Infinity;
  private underWay = false;
  private cancelRelease: () => void = () => undefined;
  private readonly minLength: number;
  private readonly startGapMs: number;
  private readonly stallMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => () => void;

  constructor(private readonly options: ScannerBurstOptions) {
    this.minLength = options.minLength ?? 8;
    this.startGapMs = options.startGapMs ?? 80;
    this.stallMs = options.stallMs ?? 500;
    this.setTimer = options.setTimer ?? defaultTimer;
  }

  private get allowedGap(): number {
    return this.underWay ? this.stallMs : this.startGapMs;
  }

  /** The keys so far were not a scan: start afresh, handing back any that were held. */
  private giveUp() {
    this.cancelRelease();
    const held = this.held;
    this.buffer = '';
    this.held = '';
    this.underWay = false;
    if (held !== '') this.options.onTyped?.(held);
  }

  /**
   * Feed every keydown with the time it happened (the event's timeStamp: when the key arrived,
   * not when a busy page got round to it) and whether a text box has focus. Returns true when the
   * key is part of a scan, or held back in case it is, and its default action must not happen.
   */
  handleKey(key: string, at: number, inTextBox = false): boolean {
    if (this.buffer !== '' && at - this.lastKeyAt > this.allowedGap) this.giveUp();
    if (key === 'Enter') {
      const text = this.buffer;
      this.lastKeyAt = at;
      if (text.length >= this.minLength) {
        this.cancelRelease();
        this.buffer = '';
        this.held = '';
        this.underWay = false;
        this.options.onScan(text);
        return true;
      }
      this.giveUp();
      return false;
    }
    // Shift and the like arrive inside bursts too; they add nothing to the text.
    if (key.length !== 1) return false;
    this.lastKeyAt = at;
    this.buffer += key;
    if (this.buffer.startsWith(CARD_PREFIX) || this.buffer.length >= UNDER_WAY_KEYS) this.underWay = true;
    const hold = inTextBox || this.held !== '';
    if (hold) {
      this.held += key;
      this.cancelRelease();
      this.cancelRelease = this.setTimer(() => this.giveUp(), this.allowedGap);
    }
    // Outside a text box the first key does nothing anyway; later ones are swallowed.
    return hold || this.buffer.length > 1;
  }
}
