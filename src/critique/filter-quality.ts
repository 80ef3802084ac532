/** How well "kept" predicts "the evaluator scored 1"; a ratio is null when its denominator is zero. */
export interface FilterQuality {
  /** true positives / kept: of the kept trajectories, the share that succeeded. Null when nothing was kept. */
  precision: number | null;
  /** true positives / positives: of the successful trajectories, the share kept. Null when none succeeded. */
  recall: number | null;
  /** Harmonic mean of precision and recall; null when either is null, 0 when both are 0. */
  f1: number | null;
  keptCount: number;
  positiveCount: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Decisions measured (those with a score). */
  total: number;
  /** Decisions left out because the episode has no score (evaluator error, not evaluated). */
  unscoredCount: number;
}

/**
 * Precision / recall / F1 of the filter's "kept" against the evaluator's score == 1. Decisions whose
 * score is null are not measured (counted in `unscoredCount` only), so every count is over scored ones.
 */
export function measureFilterQuality(decisions: ReadonlyArray<{ kept: boolean; score: number | null }>): FilterQuality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  let unscoredCount = 0;
  for (const { kept, score } of decisions) {
    if (score === null) {
      unscoredCount += 1;
      continue;
    }
    if (!Number.isFinite(score) || score < 0 || score > 1) {
      throw new RangeError(`measureFilterQuality: score ${score} is not in [0, 1]`);
    }
    const positive = score === 1;
    if (kept && positive) truePositives += 1;
    else if (kept) falsePositives += 1;
    else if (positive) falseNegatives += 1;
    else trueNegatives += 1;
  }
  const keptCount = truePositives + falsePositives;
  const positiveCount = truePositives + falseNegatives;
  const precision = keptCount === 0 ? null : truePositives / keptCount;
  const recall = positiveCount === 0 ? null : truePositives / positiveCount;
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision,
    recall,
    f1,
    keptCount,
    positiveCount,
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    total: keptCount + falseNegatives + trueNegatives,
    unscoredCount,
  };
}
