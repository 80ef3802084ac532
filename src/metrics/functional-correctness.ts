import {
  bootstrapMeanInterval,
  pairedBootstrapDifferenceInterval,
  type BootstrapInterval,
  type BootstrapOptions,
} from './bootstrap-interval';
import { assertUniqueTaskIds, type TaskScore } from './task-score';

/** Functional correctness over one set of tasks. */
export interface CorrectnessSummary {
  tasks: number;
  /** Sum of scores (the number solved when scores are 0/1). */
  solved: number;
  /** Mean score, or null when there are no tasks. */
  rate: number | null;
  interval: BootstrapInterval | null;
}

/** Functional correctness on all tasks and without the trivial ones. */
export interface FunctionalCorrectness {
  all: CorrectnessSummary;
  withoutTrivial: CorrectnessSummary;
}

/** mean(a) - mean(b) on the tasks both models were scored on, with a paired bootstrap interval. */
export interface CorrectnessDifference {
  tasks: number;
  difference: number | null;
  interval: BootstrapInterval | null;
}

/**
 * Mean task score, with and without trivial tasks (those an agent that always answers
 * `stop [N/A]` already solves; the caller supplies that set), each with a seeded bootstrap interval.
 */
export function scoreFunctionalCorrectness(
  scores: readonly TaskScore[],
  options: { trivialTaskIds: ReadonlySet<string>; bootstrap: BootstrapOptions },
): FunctionalCorrectness {
  assertUniqueTaskIds(scores, 'scoreFunctionalCorrectness');
  const nonTrivial = scores.filter((score) => !options.trivialTaskIds.has(score.taskId));
  return { all: summarize(scores, options.bootstrap), withoutTrivial: summarize(nonTrivial, options.bootstrap) };
}

/**
 * Paired comparison of two models on the same tasks (`candidate` minus `baseline`), with and
 * without trivial tasks. Both lists must score exactly the same task ids.
 */
export function compareFunctionalCorrectness(
  candidate: readonly TaskScore[],
  baseline: readonly TaskScore[],
  options: { trivialTaskIds: ReadonlySet<string>; bootstrap: BootstrapOptions },
): { all: CorrectnessDifference; withoutTrivial: CorrectnessDifference } {
  assertUniqueTaskIds(candidate, 'compareFunctionalCorrectness candidate');
  assertUniqueTaskIds(baseline, 'compareFunctionalCorrectness baseline');
  const baselineById = new Map(baseline.map((score) => [score.taskId, score.score]));
  const missing = candidate.filter((score) => !baselineById.has(score.taskId)).map((score) => score.taskId);
  if (missing.length > 0 || candidate.length !== baseline.length) {
    const candidateIds = new Set(candidate.map((score) => score.taskId));
    const extra = baseline.filter((score) => !candidateIds.has(score.taskId)).map((score) => score.taskId);
    throw new RangeError(
      `compareFunctionalCorrectness: the two models were scored on different tasks ` +
        `(only candidate: ${missing.slice(0, 5).join(', ') || 'none'}; only baseline: ${extra.slice(0, 5).join(', ') || 'none'})`,
    );
  }
  const difference = (subset: readonly TaskScore[]): CorrectnessDifference => {
    if (subset.length === 0) return { tasks: 0, difference: null, interval: null };
    const a = subset.map((score) => score.score);
    const b = subset.map((score) => baselineById.get(score.taskId)!);
    return {
      tasks: subset.length,
      difference: mean(a) - mean(b),
      interval: pairedBootstrapDifferenceInterval(a, b, options.bootstrap),
    };
  };
  return {
    all: difference(candidate),
    withoutTrivial: difference(candidate.filter((score) => !options.trivialTaskIds.has(score.taskId))),
  };
}

function summarize(scores: readonly TaskScore[], bootstrap: BootstrapOptions): CorrectnessSummary {
  if (scores.length === 0) return { tasks: 0, solved: 0, rate: null, interval: null };
  const values = scores.map((score) => score.score);
  const solved = values.reduce((sum, value) => sum + value, 0);
  return { tasks: scores.length, solved, rate: solved / scores.length, interval: bootstrapMeanInterval(values, bootstrap) };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
