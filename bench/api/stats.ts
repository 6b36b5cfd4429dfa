/**
 * Summary statistics for latency samples. Percentiles use the nearest-rank method: the p-th
 * percentile of n sorted samples is the value at rank ceil(p/100 × n), so p99 of 1,000 samples
 * is the 990th smallest and p100 is the maximum. No interpolation: every figure printed is a
 * latency that was really observed.
 */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile of already sorted samples; NaN for no samples. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The nearest-rank percentile of unsorted samples (the input is not modified). */
export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(sortNumbers(samples), p);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = sortNumbers(samples);
  const sum = sorted.reduce((acc, value) => acc + value, 0);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

function sortNumbers(samples: readonly number[]): number[] {
  // Array.prototype.sort compares as strings by default; latencies need a numeric order.
  return [...samples].sort((a, b) => a - b);
}
