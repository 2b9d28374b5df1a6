import { describe, expect, it } from 'vitest';
import { ScannerBurstDetector } from '../../renderer/checkin/scanner-input';

/** A clock and timers under the test's control: keys arrive at set times, timers fire when due. */
function setup() {
  const clock = { t: 1000 };
  const timers: { at: number; fn: () => void }[] = [];
  const scans: string[] = [];
  const typed: string[] = [];
  const detector = new ScannerBurstDetector({
    onScan: (text) => scans.push(text),
    onTyped: (text) => typed.push(text),
    setTimer: (fn, ms) => {
      const timer = { at: clock.t + ms, fn };
      timers.push(timer);
      return () => {
        const index = timers.indexOf(timer);
        if (index >= 0) timers.splice(index, 1);
      };
    },
  });
  const advance = (ms: number) => {
    clock.t += ms;
    for (const timer of timers.filter((x) => x.at <= clock.t)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.fn();
    }
  };
  /** Types text then Enter with a gap before each key (or per-key gaps); returns what was swallowed. */
  const type = (text: string, gap: number | ((index: number) => number), inTextBox = false) =>
    [...text, 'Enter'].map((key, index) => {
      advance(typeof gap === 'number' ? gap : gap(index));
      return detector.handleKey(key, clock.t, inTextBox);
    });
  return { clock, scans, typed, detector, advance, type };
}

describe('keyboard-wedge scanner detection', () => {
  it('reports a fast burst ending in Enter as one scan and swallows its keys', () => {
    const { scans, type } = setup();
    const swallowed = type('YX:AQAAA-_x', 4);
    expect(scans).toEqual(['YX:AQAAA-_x']);
    // Outside a text box the first key does nothing and need not be held; every later one is swallowed.
    expect(swallowed[0]).toBe(false);
    expect(swallowed.slice(1).every(Boolean)).toBe(true);
  });

  it('ignores a person typing slowly', () => {
    const { scans, type } = setup();
    const swallowed = type('GD2026000101', 250);
    expect(scans).toEqual([]);
    expect(swallowed.some(Boolean)).toBe(false);
  });

  it('ignores a fast burst shorter than a card', () => {
    const { scans, type } = setup();
    type('abc', 4);
    expect(scans).toEqual([]);
  });

  it('starts afresh after a pause, so stray keys before a scan do not stick to it', () => {
    const { scans, detector, clock, type } = setup();
    detector.handleKey('q', clock.t);
    clock.t += 2000;
    type('YX:CARDTEXT', 3);
    expect(scans).toEqual(['YX:CARDTEXT']);
  });

  it('does not add keys like Shift to the scanned text', () => {
    const { scans, detector, clock } = setup();
    for (const key of ['Y', 'Shift', 'X', ':', 'A', 'B', 'C', 'D', 'E', 'F', 'Enter']) {
      clock.t += 3;
      detector.handleKey(key, clock.t);
    }
    expect(scans).toEqual(['YX:ABCDEF']);
  });

  it('reports two scans in a row separately', () => {
    const { scans, type } = setup();
    type('YX:FIRST-CARD', 3);
    type('YX:SECOND-CARD', 3);
    expect(scans).toEqual(['YX:FIRST-CARD', 'YX:SECOND-CARD']);
  });

  it('keeps a card burst whole through a 150 ms stall in the middle, as on a busy slow kiosk', () => {
    const { scans, typed, type } = setup();
    const card = 'YX:AQAAAbcdefghijklmnopqrstuvwxyz';
    type(card, (index) => (index === 12 ? 150 : 5));
    expect(scans).toEqual([card]);
    expect(typed).toEqual([]);
  });

  it('keeps any fast burst whole through a stall once it is clearly under way (a product barcode)', () => {
    const { scans, type } = setup();
    type('6901234567892', (index) => (index === 7 ? 150 : 5));
    expect(scans).toEqual(['6901234567892']);
  });

  it('takes keys gaps measured on the keys’ own times: a page busy for 55-93 ms between them splits nothing', () => {
    const { scans, detector, clock } = setup();
    // The page handles keys late and in a clump, but their timestamps are the scanner's 5 ms apart.
    const start = clock.t;
    clock.t += 90;
    [...'YX:CARDTEXT', 'Enter'].forEach((key, index) => detector.handleKey(key, start + index * 5));
    expect(scans).toEqual(['YX:CARDTEXT']);
  });

  it('in a focused text box, swallows every key of a scan, the first one too', () => {
    const { scans, typed, type } = setup();
    const swallowed = type('YX:CARDTEXT', 5, true);
    expect(swallowed.every(Boolean)).toBe(true);
    expect(scans).toEqual(['YX:CARDTEXT']);
    expect(typed).toEqual([]);
  });

  it('in a focused text box, hands a person’s typing back, key by key', () => {
    const { scans, typed, type, advance } = setup();
    type('gdc', 200, true);
    advance(1000);
    expect(scans).toEqual([]);
    expect(typed).toEqual(['g', 'd', 'c']);
  });

  it('hands back held keys before a late key is judged, in order', () => {
    const { typed, detector, clock } = setup();
    detector.handleKey('a', clock.t, true);
    // The release timer has not run (the page was busy) when the next key arrives much later.
    detector.handleKey('b', clock.t + 300, true);
    expect(typed).toEqual(['a']);
  });
});
