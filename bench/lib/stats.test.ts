import { describe, expect, it } from 'vitest';
import { percentile, quantile, ratio, summarize } from './stats.ts';

describe('summarize', () => {
  it('gives the median of an odd and an even count, and the range', () => {
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, median: 3, min: 1, max: 5, mean: 3 });
    expect(summarize([4, 1, 3, 2])).toMatchObject({ n: 4, median: 2.5, min: 1, max: 4 });
  });

  it('interpolates the quartiles', () => {
    const s = summarize([1, 2, 3, 4, 5]);
    expect([s.p25, s.p75]).toEqual([2, 4]);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses to summarize nothing', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  it('is nearest-rank: a latency that was seen', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 99)).toBe(99);
    expect(percentile([7, 1, 9], 99)).toBe(9);
    expect(percentile([7], 50)).toBe(7);
  });
});

describe('ratio', () => {
  it('divides the medians, ours over the baseline', () => {
    expect(ratio(summarize([2, 4, 6]), summarize([1, 2, 3]))).toBe(2);
  });

  it('is undefined when a side is missing or the baseline is zero', () => {
    expect(ratio(undefined, summarize([1]))).toBeUndefined();
    expect(ratio(summarize([1]), summarize([0]))).toBeUndefined();
  });
});
