import { describe, expect, it } from 'vitest';
import {
  bootstrapMeanInterval,
  pairedBootstrapDifferenceInterval,
  quantileOfSorted,
} from '../../src/metrics/bootstrap-interval';

const coinFlips = Array.from({ length: 100 }, (_, index) => index % 2);

describe('bootstrap intervals', () => {
  it('interpolates quantiles linearly between sorted values', () => {
    expect(quantileOfSorted(new Float64Array([0, 10]), 0.25)).toBe(2.5);
    expect(quantileOfSorted(new Float64Array([1, 2, 3, 4, 5]), 0.5)).toBe(3);
  });

  it('collapses to the value when every score is the same', () => {
    const interval = bootstrapMeanInterval([1, 1, 1], { seed: 1, resamples: 200 });
    expect([interval.lower, interval.upper]).toEqual([1, 1]);
  });

  it('gives about mean +- 1.96 standard errors for 100 coin flips', () => {
    // Standard error of a 50% rate over 100 tasks is 0.05, so the 95% interval is about [0.40, 0.60].
    const interval = bootstrapMeanInterval(coinFlips, { seed: 42 });
    expect(interval.lower).toBeGreaterThan(0.37);
    expect(interval.lower).toBeLessThan(0.43);
    expect(interval.upper).toBeGreaterThan(0.57);
    expect(interval.upper).toBeLessThan(0.63);
    expect(interval).toMatchObject({ confidence: 0.95, resamples: 10_000, seed: 42 });
  });

  it('is reproducible for a seed and changes with the seed', () => {
    const first = bootstrapMeanInterval(coinFlips, { seed: 7, resamples: 500 });
    expect(bootstrapMeanInterval(coinFlips, { seed: 7, resamples: 500 })).toEqual(first);
    const others = [8, 9, 10].map((seed) => bootstrapMeanInterval(coinFlips, { seed, resamples: 500 }).lower);
    expect(others.some((lower) => lower !== first.lower)).toBe(true);
  });

  it('resamples pairs together, so a constant per-task gain has a zero-width interval', () => {
    const baseline = coinFlips.map((value) => value * 0.5);
    const candidate = baseline.map((value) => value + 0.25);
    const interval = pairedBootstrapDifferenceInterval(candidate, baseline, { seed: 3, resamples: 300 });
    expect(interval.lower).toBeCloseTo(0.25, 12);
    expect(interval.upper).toBeCloseTo(0.25, 12);
  });

  it('rejects empty or unequal samples and a confidence outside (0, 1)', () => {
    expect(() => bootstrapMeanInterval([], { seed: 1 })).toThrow(/no values/);
    expect(() => pairedBootstrapDifferenceInterval([1], [1, 0], { seed: 1 })).toThrow(/differ in size \(1 vs 2\)/);
    expect(() => bootstrapMeanInterval([1], { seed: 1, confidence: 1 })).toThrow(/confidence must be in \(0, 1\)/);
  });
});
