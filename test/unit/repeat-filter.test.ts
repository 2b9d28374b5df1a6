import { describe, expect, it } from 'vitest';
import { RepeatFilter } from '../../renderer/checkin/repeat-filter';

describe('camera repeat filter', () => {
  it('reports a card once while it stays in view, however long', () => {
    const filter = new RepeatFilter(5000);
    const sightings = Array.from({ length: 100 }, (_, i) => filter.accept('YX:A', i * 120));
    expect(sightings.filter(Boolean)).toHaveLength(1);
    expect(sightings[0]).toBe(true);
  });

  it('reports the same card again once it has been out of view for the quiet time', () => {
    const filter = new RepeatFilter(5000);
    expect(filter.accept('YX:A', 0)).toBe(true);
    expect(filter.accept('YX:A', 4000)).toBe(false);
    expect(filter.accept('YX:A', 9500)).toBe(true);
  });

  it('reports the next learner card at once', () => {
    const filter = new RepeatFilter(5000);
    expect(filter.accept('YX:A', 0)).toBe(true);
    expect(filter.accept('YX:B', 100)).toBe(true);
    expect(filter.accept('YX:A', 200)).toBe(true);
  });
});
