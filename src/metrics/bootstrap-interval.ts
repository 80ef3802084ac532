import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** How to resample: the defaults give a 95% percentile interval from 10,000 resamples. */
export interface BootstrapOptions {
  seed: number;
  resamples?: number;
  confidence?: number;
}

/** A percentile bootstrap confidence interval, with what produced it. */
export interface BootstrapInterval {
  lower: number;
  upper: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;
export const DEFAULT_BOOTSTRAP_CONFIDENCE = 0.95;

/** Percentile bootstrap interval for the mean of `values` (seeded, so it is reproducible). */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): BootstrapInterval {
  return pairedBootstrapDifferenceInterval(values, new Array<number>(values.length).fill(0), options);
}

/**
 * Paired percentile bootstrap interval for mean(a) - mean(b), where a[k] and b[k] are two models'
 * scores on the same item k: each resample draws items (not scores) with replacement.
 */
export function pairedBootstrapDifferenceInterval(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions,
): BootstrapInterval {
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_BOOTSTRAP_CONFIDENCE;
  if (a.length !== b.length) throw new RangeError(`bootstrap: paired samples differ in size (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new RangeError('bootstrap: no values to resample');
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`bootstrap: resamples must be a positive integer (got ${resamples})`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1) (got ${confidence})`);
  if (!Number.isInteger(options.seed)) throw new RangeError(`bootstrap: seed must be an integer (got ${options.seed})`);
  const differences = a.map((value, index) => value - b[index]!);
  const generator = xoroshiro128plus(options.seed);
  const means = new Float64Array(resamples);
  const last = differences.length - 1;
  for (let resample = 0; resample < resamples; resample += 1) {
    let sum = 0;
    for (let draw = 0; draw <= last; draw += 1) sum += differences[uniformInt(generator, 0, last)]!;
    means[resample] = sum / differences.length;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  return {
    lower: quantileOfSorted(means, tail),
    upper: quantileOfSorted(means, 1 - tail),
    confidence,
    resamples,
    seed: options.seed,
  };
}

/** Linearly interpolated quantile of sorted values (the common "type 7" definition). */
export function quantileOfSorted(sorted: Float64Array, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
