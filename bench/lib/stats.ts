/** Median and spread of repeated runs. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation), for the interquartile range. */
  p25: number;
  p75: number;
  mean: number;
}

/** The q-quantile (0..1) of ascending `sorted`, interpolating between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no samples');
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[sorted.length - 1]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * The nearest-rank percentile (p in 0..100): the smallest sample with at least p% of the samples
 * at or below it. Latency percentiles use this so that p99 is a latency that was actually seen.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** ours / baseline of the medians; undefined when either side is missing or the baseline is 0. */
export function ratio(ours: Summary | undefined, baseline: Summary | undefined): number | undefined {
  if (!ours || !baseline || baseline.median === 0) return undefined;
  return ours.median / baseline.median;
}
