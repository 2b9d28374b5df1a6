import { describe, expect, it } from 'vitest';
import { growth } from '../../bench/growth';

/** A fixed pseudo-random noise, so the test says the same every run. */
function noise(i: number): number {
  return Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453) - 0.5;
}

const days = (n: number, y: (day: number) => number) => Array.from({ length: n }, (_, day) => ({ x: day, y: y(day) }));

describe('growth over a soak', () => {
  it('finds the slope of a steady leak through noise', () => {
    const g = growth(days(20, (d) => 100 + 0.5 * d + noise(d)), 0.05);
    expect(g.slope).toBeGreaterThan(0.4);
    expect(g.slope).toBeLessThan(0.6);
    expect(g.low).toBeLessThanOrEqual(g.slope);
    expect(g.high).toBeGreaterThanOrEqual(g.slope);
    expect(g.verdict).toBe('growth');
  });

  it('says "no growth" for flat samples with noise', () => {
    const g = growth(days(20, (d) => 100 + 0.02 * noise(d)), 0.05);
    expect(g.high).toBeLessThanOrEqual(0.05);
    expect(g.verdict).toBe('no growth');
  });

  it('is not dragged by one odd sample, as a least-squares line is', () => {
    const samples = days(15, (d) => 50 + (d === 14 ? 30 : 0));
    expect(growth(samples, 0.05).slope).toBe(0);
    expect(growth(samples, 0.05).verdict).toBe('no growth');
  });

  it('says "unsure" when the days are too few or too noisy to tell', () => {
    expect(growth(days(4, (d) => 100 + 0.01 * d), 0.05).verdict).toBe('unsure');
    expect(growth(days(12, (d) => 100 + 20 * noise(d)), 0.05).verdict).toBe('unsure');
    expect(growth([], 0.05).verdict).toBe('unsure');
  });
});
