import { describe, expect, it } from 'vitest';
import { ScannerBurstDetector } from '../../renderer/checkin/scanner-input';

/** Types text into the detector with a fixed gap between keys, then Enter; returns what it swallowed. */
function type(detector: ScannerBurstDetector, clock: { t: number }, text: string, gapMs: number): boolean[] {
  const swallowed: boolean[] = [];
  for (const key of [...text, 'Enter']) {
    clock.t += gapMs;
    swallowed.push(detector.handleKey(key));
  }
  return swallowed;
}

function setup() {
  const clock = { t: 1000 };
  const scans: string[] = [];
  const detector = new ScannerBurstDetector({ maxGapMs: 60, minLength: 8, onScan: (text) => scans.push(text), now: () => clock.t });
  return { clock, scans, detector };
}

describe('keyboard-wedge scanner detection', () => {
  it('reports a fast burst ending in Enter as one scan and swallows its keys', () => {
    const { clock, scans, detector } = setup();
    const swallowed = type(detector, clock, 'YX:AQAAA-_x', 4);
    expect(scans).toEqual(['YX:AQAAA-_x']);
    // The first key cannot be told apart from typing yet; every later one, and Enter, is swallowed.
    expect(swallowed[0]).toBe(false);
    expect(swallowed.slice(1).every(Boolean)).toBe(true);
  });

  it('ignores a person typing slowly', () => {
    const { clock, scans, detector } = setup();
    const swallowed = type(detector, clock, 'GD2026000101', 250);
    expect(scans).toEqual([]);
    expect(swallowed.some(Boolean)).toBe(false);
  });

  it('ignores a fast burst shorter than a card', () => {
    const { clock, scans, detector } = setup();
    type(detector, clock, 'abc', 4);
    expect(scans).toEqual([]);
  });

  it('starts afresh after a pause, so stray keys before a scan do not stick to it', () => {
    const { clock, scans, detector } = setup();
    clock.t += 5;
    detector.handleKey('q');
    clock.t += 2000;
    type(detector, clock, 'YX:CARDTEXT', 3);
    expect(scans).toEqual(['YX:CARDTEXT']);
  });

  it('does not add keys like Shift to the scanned text', () => {
    const { clock, scans, detector } = setup();
    for (const key of ['Y', 'Shift', 'X', ':', 'A', 'B', 'C', 'D', 'E', 'F', 'Enter']) {
      clock.t += 3;
      detector.handleKey(key);
    }
    expect(scans).toEqual(['YX:ABCDEF']);
  });

  it('reports two scans in a row separately', () => {
    const { clock, scans, detector } = setup();
    type(detector, clock, 'YX:FIRST-CARD', 3);
    type(detector, clock, 'YX:SECOND-CARD', 3);
    expect(scans).toEqual(['YX:FIRST-CARD', 'YX:SECOND-CARD']);
  });
});
