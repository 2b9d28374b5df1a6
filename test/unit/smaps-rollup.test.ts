import { describe, expect, it } from 'vitest';
import { parseSmapsRollup } from '../../bench/smaps-rollup';

// As Linux 6.x prints it (trimmed of the lines the parser does not read).
const ROLLUP = `55919b0df000-7ffca5d3b000 ---p 00000000 00:00 0                          [rollup]
Rss:              201740 kB
Pss:              190193 kB
Pss_Anon:         150112 kB
Pss_File:          40081 kB
Shared_Clean:       1588 kB
Private_Dirty:    150112 kB
Anonymous:        150112 kB
AnonHugePages:         0 kB
Swap:                  0 kB
`;

describe('smaps_rollup', () => {
  it('splits resident memory into anonymous and file-backed pages', () => {
    expect(parseSmapsRollup(ROLLUP)).toEqual({
      rssBytes: 201740 * 1024,
      anonymousBytes: 150112 * 1024,
      fileBytes: (201740 - 150112) * 1024,
    });
  });

  it('does not take AnonHugePages for Anonymous', () => {
    const text = ROLLUP.replace('AnonHugePages:         0 kB', 'AnonHugePages:      2048 kB');
    expect(parseSmapsRollup(text).anonymousBytes).toBe(150112 * 1024);
  });

  it('refuses text without the fields it needs', () => {
    expect(() => parseSmapsRollup('Pss: 12 kB\n')).toThrow(/Rss/);
  });
});
