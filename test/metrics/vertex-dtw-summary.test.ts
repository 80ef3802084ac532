import { describe, expect, it } from 'vitest';
import { summarizeVertexDtw } from '../../src/metrics/vertex-dtw-summary';

describe('summarizeVertexDtw', () => {
  const tasks = [
    { taskId: 'a', capabilityId: 1, referenceScores: [0.2, 0.6] },
    { taskId: 'b', capabilityId: 1, referenceScores: [0.4] },
    { taskId: 'c', capabilityId: 2, referenceScores: [-0.1] },
    { taskId: 'd', capabilityId: 2, referenceScores: [] },
  ];

  it('takes the best reference per task, then the mean and the per-capability mean', () => {
    const summary = summarizeVertexDtw(tasks, new Set());
    expect(summary.taskScores.map((task) => task.score)).toEqual([0.6, 0.4, -0.1]);
    expect(summary.unscoredTaskIds).toEqual(['d']);
    expect(summary.mean).toBeCloseTo(0.3, 12);
    // Capability 1: max(0.6, 0.4) = 0.6; capability 2: -0.1 -> mean 0.25.
    expect(summary.byCapability).toBeCloseTo(0.25, 12);
  });

  it('recomputes both means without trivial tasks', () => {
    const summary = summarizeVertexDtw(tasks, new Set(['a']));
    expect(summary.meanWithoutTrivial).toBeCloseTo(0.15, 12);
    expect(summary.byCapabilityWithoutTrivial).toBeCloseTo(0.15, 12);
  });

  it('reports null means when no task has a successful reference', () => {
    const summary = summarizeVertexDtw([{ taskId: 'x', capabilityId: 1, referenceScores: [] }], new Set());
    expect([summary.mean, summary.byCapability]).toEqual([null, null]);
  });

  it('rejects a task listed twice and a non-finite score', () => {
    expect(() => summarizeVertexDtw([tasks[0]!, tasks[0]!], new Set())).toThrow(/task a is listed twice/);
    expect(() => summarizeVertexDtw([{ taskId: 'n', capabilityId: 1, referenceScores: [NaN] }], new Set())).toThrow(
      /task n has a non-finite score/,
    );
  });
});
