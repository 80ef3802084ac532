import { describe, expect, it } from 'vitest';
import { normalizedDtw, successWeightedDtw } from '../../src/metrics/navigation-dtw';

describe('nDTW and SDTW', () => {
  it('computes exp(-DTW / (|R| * d)) by hand', () => {
    expect(normalizedDtw(3, 10, 0.3)).toBeCloseTo(Math.exp(-1), 12);
    expect(normalizedDtw(0, 4, 0.5)).toBe(1);
  });

  it('zeroes SDTW for a failed episode and keeps nDTW for a successful one', () => {
    expect(successWeightedDtw(0, 0.8)).toBe(0);
    expect(successWeightedDtw(1, 0.8)).toBe(0.8);
  });

  it('rejects a non-positive threshold distance, an empty reference and a fractional success', () => {
    expect(() => normalizedDtw(1, 3, 0)).toThrow(/thresholdDistance must be > 0 \(got 0\)/);
    expect(() => normalizedDtw(1, 0, 0.3)).toThrow(/referenceLength must be a positive integer/);
    expect(() => successWeightedDtw(0.5, 1)).toThrow(/success must be 0 or 1/);
  });
});
