import { z } from 'zod';
import type { EvaluationMetrics } from '../domain/evaluation-metrics';
import { bootstrapMeanInterval, type BootstrapOptions } from './bootstrap-interval';
import { compareFunctionalCorrectness } from './functional-correctness';
import type { TaskScore } from './task-score';

const interval = z.tuple([z.number(), z.number()]).nullable();

/** One side of a comparison, measured on the tasks both evaluations scored (length and invalid actions: all its episodes). */
export const comparedEvaluationSchema = z.strictObject({
  functionalCorrectness: z.number().nullable(),
  functionalCorrectnessCi: interval,
  capabilityScore: z.number().int().nonnegative(),
  capabilities: z.array(z.string()),
  /** Mean per-task VERTEX_DTW over the shared tasks that have a score (null when none has). */
  vertexDtw: z.number().nullable(),
  avgTrajectoryLength: z.number().nullable(),
  invalidActionRate: z.number().nullable(),
});
export type ComparedEvaluation = z.infer<typeof comparedEvaluationSchema>;

/** `candidate` against `baseline` on the tasks both scored; differences are candidate minus baseline. */
export const evaluationComparisonSchema = z.strictObject({
  sharedTasks: z.number().int().nonnegative(),
  /** Scored by only one side, so left out of every per-task figure. */
  onlyBaselineTaskIds: z.array(z.number().int()),
  onlyCandidateTaskIds: z.array(z.number().int()),
  baseline: comparedEvaluationSchema,
  candidate: comparedEvaluationSchema,
  /** Paired difference in functional correctness with its paired bootstrap interval. */
  difference: z.number().nullable(),
  differenceCi: interval,
  /** The same without the tasks the always-N/A agent solves (either side's trivial set). */
  differenceNonTrivial: z.number().nullable(),
  differenceNonTrivialCi: interval,
  capabilitiesGained: z.array(z.string()),
  capabilitiesLost: z.array(z.string()),
  bootstrap: z.strictObject({ seed: z.number().int(), resamples: z.number().int(), confidence: z.number() }),
});
export type EvaluationComparison = z.infer<typeof evaluationComparisonSchema>;

export const DEFAULT_COMPARISON_BOOTSTRAP = { seed: 0, resamples: 2_000, confidence: 0.95 } as const;

function scoredTasks(metrics: EvaluationMetrics): Map<number, { score: number; capabilityId: string }> {
  const scored = new Map<number, { score: number; capabilityId: string }>();
  for (const entry of metrics.taskScores) {
    if (entry.score === null) continue;
    if (scored.has(entry.taskId)) throw new RangeError(`compareEvaluations: task ${entry.taskId} is scored more than once`);
    scored.set(entry.taskId, { score: entry.score, capabilityId: entry.capabilityId });
  }
  return scored;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

function side(metrics: EvaluationMetrics, shared: readonly number[], bootstrap: Required<BootstrapOptions>): ComparedEvaluation {
  const scored = scoredTasks(metrics);
  const scores = shared.map((taskId) => scored.get(taskId)!.score);
  const ci = scores.length ? bootstrapMeanInterval(scores, bootstrap) : null;
  const capabilities = [...new Set(shared.filter((taskId) => scored.get(taskId)!.score >= 1).map((taskId) => scored.get(taskId)!.capabilityId))].sort();
  const sharedSet = new Set(shared);
  return {
    functionalCorrectness: mean(scores),
    functionalCorrectnessCi: ci ? [ci.lower, ci.upper] : null,
    capabilityScore: capabilities.length,
    capabilities,
    vertexDtw: mean(metrics.vertexDtwPerTask.filter((entry) => sharedSet.has(entry.taskId)).map((entry) => entry.score)),
    avgTrajectoryLength: metrics.avgTrajectoryLength,
    invalidActionRate: metrics.invalidActionRate,
  };
}

/**
 * Compares two evaluated models on the tasks both scored: functional correctness of each with a
 * bootstrap CI, the paired difference (candidate minus baseline) with a paired bootstrap CI, with and
 * without trivial tasks, capabilities gained and lost, VERTEX_DTW, trajectory length and invalid actions.
 */
export function compareEvaluations(
  baseline: EvaluationMetrics,
  candidate: EvaluationMetrics,
  options: Partial<Required<BootstrapOptions>> = {},
): EvaluationComparison {
  const bootstrap = { ...DEFAULT_COMPARISON_BOOTSTRAP, ...options };
  const baselineScored = scoredTasks(baseline);
  const candidateScored = scoredTasks(candidate);
  const shared = [...baselineScored.keys()].filter((taskId) => candidateScored.has(taskId)).sort((a, b) => a - b);
  const toTaskScores = (scored: Map<number, { score: number }>): TaskScore[] =>
    shared.map((taskId) => ({ taskId: String(taskId), intentTemplateId: 0, score: scored.get(taskId)!.score }));
  const trivial = new Set([...baseline.trivialTaskIds, ...candidate.trivialTaskIds].map(String));
  const paired = compareFunctionalCorrectness(toTaskScores(candidateScored), toTaskScores(baselineScored), { trivialTaskIds: trivial, bootstrap });
  const before = side(baseline, shared, bootstrap);
  const after = side(candidate, shared, bootstrap);
  const had = new Set(before.capabilities);
  const has = new Set(after.capabilities);
  const toPair = (value: { lower: number; upper: number } | null): [number, number] | null => (value ? [value.lower, value.upper] : null);
  return {
    sharedTasks: shared.length,
    onlyBaselineTaskIds: [...baselineScored.keys()].filter((taskId) => !candidateScored.has(taskId)).sort((a, b) => a - b),
    onlyCandidateTaskIds: [...candidateScored.keys()].filter((taskId) => !baselineScored.has(taskId)).sort((a, b) => a - b),
    baseline: before,
    candidate: after,
    difference: paired.all.difference,
    differenceCi: toPair(paired.all.interval),
    differenceNonTrivial: paired.withoutTrivial.difference,
    differenceNonTrivialCi: toPair(paired.withoutTrivial.interval),
    capabilitiesGained: after.capabilities.filter((capability) => !had.has(capability)),
    capabilitiesLost: before.capabilities.filter((capability) => !has.has(capability)),
    bootstrap,
  };
}
