import { describe, expect, it } from 'vitest';
import { countByKind, planFaults } from '../../reliability/chaos/fault-plan';
import { compareRuns, diffJson, type RunSnapshot } from '../../reliability/chaos/run-integrity';

const queues = ['orchestration', 'browser', 'llm', 'cpu', 'train'] as const;

describe('chaos fault plan', () => {
  it('plans exactly the requested faults, in time order, inside the spread window, the same for the same seed', () => {
    const options = { workerKills: 10, temporalRestarts: 2, postgresRestarts: 1, queues, expectedRunMs: 100_000, seed: 42 };
    const plan = planFaults(options);
    expect(countByKind(plan)).toEqual({ 'worker-sigkill': 10, 'temporal-restart': 2, 'postgres-restart': 1 });
    expect(plan.map((fault) => fault.atMs)).toEqual([...plan.map((fault) => fault.atMs)].sort((a, b) => a - b));
    expect(plan.every((fault) => fault.atMs >= 3_000 && fault.atMs <= 75_000)).toBe(true);
    expect(plan.filter((fault) => fault.kind === 'worker-sigkill').every((fault) => queues.includes(fault.queue!))).toBe(true);
    expect(planFaults(options)).toEqual(plan);
    expect(planFaults({ ...options, seed: 43 })).not.toEqual(plan);
  });

  it('rejects counts and durations that make no plan', () => {
    expect(() => planFaults({ workerKills: -1, temporalRestarts: 0, postgresRestarts: 0, queues, expectedRunMs: 1, seed: 1 })).toThrow(/workerKills must be a non-negative integer/);
    expect(() => planFaults({ workerKills: 1, temporalRestarts: 0, postgresRestarts: 0, queues: [], expectedRunMs: 1, seed: 1 })).toThrow(/at least one queue/);
    expect(() => planFaults({ workerKills: 1, temporalRestarts: 0, postgresRestarts: 0, queues, expectedRunMs: 0, seed: 1 })).toThrow(/expectedRunMs must be positive/);
  });
});

function snapshot(episodes: Array<Partial<RunSnapshot['episodes'][number]> & { id: string }>, summary: unknown): RunSnapshot {
  return {
    runId: 'r',
    runStatus: 'completed',
    stepRows: 0,
    episodes: episodes.map((episode) => ({
      scope: 'r/baseline', purpose: 'evaluation', task_id: 1, sample: 0, status: 'completed', attempt: 1, score: 1, answer: 'a', length: 1,
      invalid_action_count: 0, early_stop_reason: null, trajectory: ['0 http://site/ click [1]'], ...episode,
    })),
    metrics: [{ evaluation_id: 'r/baseline', name: 'summary', value: null, detail: summary }],
    integrity: { duplicatedEpisodes: [], duplicatedSteps: [], orphanedSteps: [], episodesWithMissingSteps: [], unfinishedEpisodes: [] },
  };
}

describe('chaos run comparison', () => {
  it('finds lost, unfinished and extra episodes, changed outcomes and trajectories, and every differing metric path', () => {
    const reference = snapshot([{ id: 'r/baseline/1/0' }, { id: 'r/baseline/2/0' }, { id: 'r/baseline/3/0' }, { id: 'r/baseline/4/0' }], { fc: 0.5, perTask: [{ score: 1 }, { score: 0 }] });
    const disturbed = snapshot([
      { id: 'r/baseline/1/0' },
      { id: 'r/baseline/2/0', status: 'failed' },
      { id: 'r/baseline/4/0', score: 0, trajectory: ['0 http://site/ click [2]'] },
      { id: 'r/baseline/5/0' },
    ], { fc: 0.25, perTask: [{ score: 1 }, { score: 1 }] });
    const comparison = compareRuns(reference, disturbed);
    expect(comparison.lostEpisodes).toEqual(['r/baseline/2/0 (failed)', 'r/baseline/3/0']);
    expect(comparison.extraEpisodes).toEqual(['r/baseline/5/0']);
    expect(comparison.differentOutcomes).toEqual(['r/baseline/4/0 score: 1 vs 0']);
    expect(comparison.differentTrajectories).toEqual(['r/baseline/4/0']);
    expect(comparison.differentMetrics).toEqual(['r/baseline summary.detail.fc: 0.5 vs 0.25', 'r/baseline summary.detail.perTask.1.score: 0 vs 1']);
  });

  it('reports nothing for two equal runs', () => {
    const run = snapshot([{ id: 'r/baseline/1/0' }], { fc: 1 });
    expect(compareRuns(run, structuredClone(run))).toMatchObject({ lostEpisodes: [], extraEpisodes: [], differentOutcomes: [], differentTrajectories: [], differentMetrics: [], metricsCompared: 1 });
    expect(diffJson('x', { a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
    expect(diffJson('x', { a: 1 }, { a: 1, b: 2 })).toEqual(['x.b: undefined vs 2']);
  });
});
