/**
 * nDTW from the vision-and-language navigation literature (Ilharco et al., 2019), applied to
 * embedding trajectories: exp(-DTW / (|R| * d)). `dtw` is the cumulative cosine distance along the
 * warping path, |R| the reference length, and d the success threshold distance: the per-step cosine
 * distance at which a test step counts as "at" its reference step.
 */
export function normalizedDtw(dtw: number, referenceLength: number, thresholdDistance: number): number {
  if (!(dtw >= 0)) throw new RangeError(`normalizedDtw: dtw must be >= 0 (got ${dtw})`);
  if (!Number.isInteger(referenceLength) || referenceLength < 1) {
    throw new RangeError(`normalizedDtw: referenceLength must be a positive integer (got ${referenceLength})`);
  }
  if (!(thresholdDistance > 0)) {
    throw new RangeError(`normalizedDtw: thresholdDistance must be > 0 (got ${thresholdDistance})`);
  }
  return Math.exp(-dtw / (referenceLength * thresholdDistance));
}

/** SDTW = success * nDTW, where success is the test episode's 0/1 task score. */
export function successWeightedDtw(success: number, normalized: number): number {
  if (success !== 0 && success !== 1) throw new RangeError(`successWeightedDtw: success must be 0 or 1 (got ${success})`);
  return success * normalized;
}
