/**
 * How fast something grows over a soak's days, robust to the noise a loaded machine and a
 * garbage collector add: the Theil–Sen estimator (the median of the slopes between every pair
 * of samples), which one odd sample cannot drag the way it drags a least-squares line, with
 * Sen's confidence interval for it. The verdict is honest about what the samples can tell:
 * "no growth" only when the whole interval is at or below the threshold, "growth" only when the
 * whole interval is above it, otherwise "unsure" (too few days, or too noisy: run longer).
 */

export interface Point {
  x: number;
  y: number;
}

export type GrowthVerdict = 'no growth' | 'growth' | 'unsure';

export interface Growth {
  /** Median pairwise slope, in y per x. */
  slope: number;
  /** 95% confidence interval of the slope. */
  low: number;
  high: number;
  verdict: GrowthVerdict;
}

/** z for a two-sided 95% interval. */
const Z95 = 1.96;

/**
 * Theil–Sen slope of the points with Sen's 95% interval (the normal approximation of Kendall's
 * S, exact enough from about ten points; with fewer the interval is wide and the verdict unsure).
 */
export function growth(points: Point[], threshold: number): Growth {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  if (slopes.length === 0) return { slope: 0, low: -Infinity, high: Infinity, verdict: 'unsure' };
  slopes.sort((a, b) => a - b);
  const n = points.length;
  const count = slopes.length;
  const median = count % 2 ? slopes[(count - 1) / 2]! : (slopes[count / 2 - 1]! + slopes[count / 2]!) / 2;
  const c = Z95 * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  // Ranks (1-based) of the interval's ends among the sorted slopes; beyond either end, unbounded.
  const lowRank = Math.round((count - c) / 2);
  const highRank = Math.round((count + c) / 2) + 1;
  const low = lowRank >= 1 ? slopes[lowRank - 1]! : -Infinity;
  const high = highRank <= count ? slopes[highRank - 1]! : Infinity;
  const verdict: GrowthVerdict = high <= threshold ? 'no growth' : low > threshold ? 'growth' : 'unsure';
  return { slope: median, low, high, verdict };
}
