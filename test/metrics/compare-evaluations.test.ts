import { describe, expect, it } from 'vitest';
import type { EvaluationMetrics } from '../../src/domain/evaluation-metrics';
import { compareEvaluations } from '../../src/metrics/compare-evaluations';
import { formatEvaluationComparison } from '../../src/report/format-evaluation-comparison';

/** Stored metrics with the given per-task scores (capability `template-<n>`) and VERTEX_DTW per task. */
function metrics(tasks: Array<[taskId: number, capability: number, score: number | null]>, vertex: Array<[number, number]>, extra: Partial<EvaluationMetrics> = {}): EvaluationMetrics {
  return {
    episodes: tasks.length, scoredEpisodes: tasks.filter(([, , score]) => score !== null).length,
    functionalCorrectness: null, functionalCorrectnessCi: null, functionalCorrectnessNonTrivial: null, trivialTaskIds: [],
    capabilityScore: 0, capabilityGroups: 0, capabilities: [],
    vertexDtw: null, vertexDtwByCapability: null, vertexDtwNonTrivial: null, vertexDtwByCapabilityNonTrivial: null,
    vertexDtwPerTask: vertex.map(([taskId, score]) => ({ taskId, score })),
    nDtw: null, sDtw: null, avgTrajectoryLength: null, invalidActionRate: null,
    invalidActions: { unparsable: 0, missingElement: 0 }, earlyStops: {}, tokens: { prompt: 0, completion: 0, perEpisode: null },
    taskScores: tasks.map(([taskId, capability, score]) => ({ taskId, capabilityId: `template-${capability}`, score })),
    ...extra,
  };
}

describe('compareEvaluations', () => {
  const baseline = metrics([[1, 1, 1], [2, 1, 0], [3, 2, 1], [4, 3, 0], [5, 4, 1]], [[1, 0.5], [2, 0.1], [5, 0.9]],
    { trivialTaskIds: [1], avgTrajectoryLength: 4.5, invalidActionRate: 0.1 });
  const candidate = metrics([[1, 1, 1], [2, 1, 1], [3, 2, 0], [4, 3, 1], [6, 5, 0], [7, 6, null]], [[1, 0.2], [4, 0.5], [6, -1]],
    { trivialTaskIds: [1], avgTrajectoryLength: 3.25, invalidActionRate: 0 });

  it('compares on the tasks both scored, with hand-computed figures', () => {
    const comparison = compareEvaluations(baseline, candidate, { seed: 11, resamples: 500 });
    expect(comparison.sharedTasks).toBe(4);
    expect(comparison.onlyBaselineTaskIds).toEqual([5]);
    expect(comparison.onlyCandidateTaskIds).toEqual([6]);
    // Tasks 1-4: baseline solves 1 and 3 (2 of 4), the candidate 1, 2 and 4 (3 of 4).
    expect(comparison.baseline.functionalCorrectness).toBe(0.5);
    expect(comparison.candidate.functionalCorrectness).toBe(0.75);
    expect(comparison.difference).toBeCloseTo(0.25, 12);
    // Without trivial task 1: baseline 1 of 3, candidate 2 of 3.
    expect(comparison.differenceNonTrivial).toBeCloseTo(1 / 3, 12);
    // Solved capabilities on tasks 1-4: baseline {1, 2}, candidate {1, 3}.
    expect(comparison.baseline.capabilities).toEqual(['template-1', 'template-2']);
    expect(comparison.candidate.capabilities).toEqual(['template-1', 'template-3']);
    expect(comparison.capabilitiesGained).toEqual(['template-3']);
    expect(comparison.capabilitiesLost).toEqual(['template-2']);
    // VERTEX_DTW over shared tasks that have a score: baseline (0.5 + 0.1) / 2, candidate (0.2 + 0.5) / 2.
    expect(comparison.baseline.vertexDtw).toBeCloseTo(0.3, 12);
    expect(comparison.candidate.vertexDtw).toBeCloseTo(0.35, 12);
    expect([comparison.baseline.avgTrajectoryLength, comparison.candidate.avgTrajectoryLength]).toEqual([4.5, 3.25]);
    expect([comparison.baseline.invalidActionRate, comparison.candidate.invalidActionRate]).toEqual([0.1, 0]);
    // Per-task differences are 0, +1, -1, +1: every resampled mean lies in [-1, 1] and the interval holds the estimate.
    const [lower, upper] = comparison.differenceCi!;
    expect(lower).toBeGreaterThanOrEqual(-1);
    expect(upper).toBeLessThanOrEqual(1);
    expect(lower).toBeLessThan(0.25);
    expect(upper).toBeGreaterThan(0.25);
    expect(comparison.bootstrap).toEqual({ seed: 11, resamples: 500, confidence: 0.95 });
    // Seeded: the same inputs give the same intervals.
    expect(compareEvaluations(baseline, candidate, { seed: 11, resamples: 500 })).toEqual(comparison);
  });

  it('gives degenerate intervals when every task moves the same way', () => {
    const none = metrics([[1, 1, 0], [2, 2, 0]], []);
    const all = metrics([[1, 1, 1], [2, 2, 1]], []);
    const comparison = compareEvaluations(none, all);
    expect(comparison.difference).toBe(1);
    expect(comparison.differenceCi).toEqual([1, 1]);
    expect(comparison.baseline.functionalCorrectnessCi).toEqual([0, 0]);
    expect(comparison.candidate.functionalCorrectnessCi).toEqual([1, 1]);
    expect(comparison.capabilitiesGained).toEqual(['template-1', 'template-2']);
    expect(comparison.capabilitiesLost).toEqual([]);
    expect(comparison.baseline.vertexDtw).toBeNull();
  });

  it('has nothing to compare when no task was scored by both', () => {
    const comparison = compareEvaluations(metrics([[1, 1, 1]], []), metrics([[2, 1, 1]], []));
    expect(comparison.sharedTasks).toBe(0);
    expect(comparison.difference).toBeNull();
    expect(comparison.differenceCi).toBeNull();
    expect(comparison.candidate.functionalCorrectness).toBeNull();
  });

  it('rejects a task scored twice', () => {
    expect(() => compareEvaluations(metrics([[1, 1, 1], [1, 1, 0]], []), metrics([[1, 1, 1]], []))).toThrow('task 1 is scored more than once');
  });

  it('prints both sides, the paired difference and the capabilities', () => {
    const text = formatEvaluationComparison(compareEvaluations(baseline, candidate, { seed: 11, resamples: 500 }), { baseline: 'base (r/baseline)', candidate: 'mixture B (r/mixture-B/evaluate)' });
    expect(text).toContain('compared on the 4 tasks both scored (left out: only A 5; only B 6)');
    expect(text).toMatch(/functional correctness\s+50\.0%\s+75\.0%/);
    expect(text).toContain('difference B - A: +25.0%');
    expect(text).toContain('capabilities gained by B: template-3');
    expect(text).toContain('capabilities lost by B: template-2');
  });
});
