import { describe, expect, it } from 'vitest';
import { compareFunctionalCorrectness, scoreFunctionalCorrectness } from '../../src/metrics/functional-correctness';
import type { TaskScore } from '../../src/metrics/task-score';

const score = (taskId: string, value: number): TaskScore => ({ taskId, intentTemplateId: 1, score: value });
const bootstrap = { seed: 5, resamples: 400 };

describe('scoreFunctionalCorrectness', () => {
  it('reports the mean with and without trivial tasks', () => {
    const scores = [score('1', 1), score('2', 1), score('3', 0), score('4', 0)];
    const result = scoreFunctionalCorrectness(scores, { trivialTaskIds: new Set(['1']), bootstrap });
    expect(result.all).toMatchObject({ tasks: 4, solved: 2, rate: 0.5 });
    expect(result.withoutTrivial).toMatchObject({ tasks: 3, solved: 1, rate: 1 / 3 });
    expect(result.all.interval!.lower).toBeLessThanOrEqual(0.5);
    expect(result.all.interval!.upper).toBeGreaterThanOrEqual(0.5);
  });

  it('reports a null rate when every task is trivial', () => {
    const result = scoreFunctionalCorrectness([score('1', 1)], { trivialTaskIds: new Set(['1']), bootstrap });
    expect(result.withoutTrivial).toEqual({ tasks: 0, solved: 0, rate: null, interval: null });
  });

  it('rejects a task scored twice', () => {
    expect(() => scoreFunctionalCorrectness([score('1', 1), score('1', 0)], { trivialTaskIds: new Set(), bootstrap })).toThrow(
      /task 1 is scored more than once/,
    );
  });
});

describe('compareFunctionalCorrectness', () => {
  it('gives the paired difference on the same tasks, with and without trivial ones', () => {
    const baseline = [score('1', 1), score('2', 0), score('3', 0), score('4', 0)];
    const candidate = [score('1', 1), score('2', 1), score('3', 1), score('4', 0)];
    const result = compareFunctionalCorrectness(candidate, baseline, { trivialTaskIds: new Set(['1']), bootstrap });
    expect(result.all.difference).toBeCloseTo(0.5, 12);
    expect(result.withoutTrivial.difference).toBeCloseTo(2 / 3, 12);
    // Per-task differences are [0, 1, 1, 0]: a resample of four all-0 or all-1 draws has
    // probability 1/16 > 2.5%, so the 95% interval spans exactly [0, 1].
    expect([result.all.interval!.lower, result.all.interval!.upper]).toEqual([0, 1]);
  });

  it('refuses two models scored on different tasks, naming the odd ones', () => {
    expect(() =>
      compareFunctionalCorrectness([score('1', 1), score('2', 1)], [score('1', 0), score('3', 0)], {
        trivialTaskIds: new Set(),
        bootstrap,
      }),
    ).toThrow(/only candidate: 2; only baseline: 3/);
  });
});
