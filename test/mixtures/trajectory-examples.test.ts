import { describe, expect, it } from 'vitest';
import { balanceStepPositions, examplesFromTrajectory, poolNewestPerTask, selectTrajectorySteps, type StepPosition } from '../../src/mixtures';
import { keptTrajectories } from './mixture-fixture';

describe('selectTrajectorySteps', () => {
  it('takes the first, one intermediate and the last step of a long trajectory', () => {
    const [trajectory] = keptTrajectories(1, { length: 8 });
    const selected = selectTrajectorySteps(trajectory!, 1);
    expect(selected.map(({ position }) => position)).toEqual(['first', 'intermediate', 'last']);
    expect(selected[0]!.step.index).toBe(0);
    expect(selected[1]!.step.index).toBeGreaterThanOrEqual(1);
    expect(selected[1]!.step.index).toBeLessThanOrEqual(6);
    expect(selected[2]!.step.index).toBe(7);
  });

  it('gives first and last for two steps, and only first for one step', () => {
    expect(selectTrajectorySteps(keptTrajectories(1, { length: 2 })[0]!, 1).map(({ position, step }) => [position, step.index]))
      .toEqual([['first', 0], ['last', 1]]);
    expect(selectTrajectorySteps(keptTrajectories(1, { length: 1 })[0]!, 1).map(({ position }) => position)).toEqual(['first']);
  });

  it('draws the intermediate step from the seed: the same seed repeats it, other seeds spread over the range', () => {
    const [trajectory] = keptTrajectories(1, { length: 12 });
    const draw = (seed: number) => selectTrajectorySteps(trajectory!, seed)[1]!.step.index;
    expect(draw(5)).toBe(draw(5));
    const drawn = new Set(Array.from({ length: 200 }, (_, seed) => draw(seed)));
    expect([...drawn].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('examplesFromTrajectory', () => {
  it('pairs the step full prompt messages with the model response at that step', () => {
    const [trajectory] = keptTrajectories(1, { length: 2, round: 2 });
    const [first, last] = examplesFromTrajectory(trajectory!, { seed: 1, round: 2 });
    expect(first!.example.messages).toEqual(trajectory!.steps[0]!.promptMessages);
    expect(first!.example.response).toBe(trajectory!.steps[0]!.response);
    expect(last!.example.response).toContain('stop [answer 0]');
    expect(last!.example.id).toBe(`${trajectory!.episodeId}#1`);
    expect(last!.example.provenance).toMatchObject({ source: 'in_domain', round: 2, taskId: '0', stepIndex: 1, position: 'last' });
  });
});

describe('balanceStepPositions', () => {
  const positioned = (counts: Record<StepPosition, number>) => (Object.entries(counts) as Array<[StepPosition, number]>)
    .flatMap(([position, count]) => Array.from({ length: count }, (_, index) => ({ position, name: `${position}-${index}` })));
  const tally = (examples: Array<{ position: StepPosition }>) => ({
    first: examples.filter(({ position }) => position === 'first').length,
    intermediate: examples.filter(({ position }) => position === 'intermediate').length,
    last: examples.filter(({ position }) => position === 'last').length,
  });

  it('keeps m first and m last with m the smallest count, and at most 2m intermediate', () => {
    expect(tally(balanceStepPositions(positioned({ first: 5, intermediate: 9, last: 3 }), { seed: 1 }))).toEqual({ first: 3, intermediate: 6, last: 3 });
  });

  it('keeps every intermediate example when there are at most 2m of them', () => {
    expect(tally(balanceStepPositions(positioned({ first: 10, intermediate: 4, last: 6 }), { seed: 1 }))).toEqual({ first: 4, intermediate: 4, last: 4 });
    expect(tally(balanceStepPositions(positioned({ first: 4, intermediate: 7, last: 5 }), { seed: 1 }))).toEqual({ first: 4, intermediate: 7, last: 4 });
  });

  it('keeps nothing when one position has no example, as the rule says', () => {
    expect(balanceStepPositions(positioned({ first: 4, intermediate: 0, last: 4 }), { seed: 1 })).toEqual([]);
  });

  it('balances only over the positions asked for', () => {
    expect(tally(balanceStepPositions(positioned({ first: 4, intermediate: 0, last: 2 }), { seed: 1, positions: ['first', 'last'] }))).toEqual({ first: 2, intermediate: 0, last: 2 });
  });

  it('chooses which examples survive from the seed and keeps input order', () => {
    const examples = positioned({ first: 20, intermediate: 20, last: 5 });
    const names = (seed: number) => balanceStepPositions(examples, { seed }).map(({ name }) => name);
    expect(names(3)).toEqual(names(3));
    expect(names(3)).not.toEqual(names(4));
    const kept = names(3);
    expect(kept).toEqual(examples.map(({ name }) => name).filter((name) => kept.includes(name)));
  });
});

describe('poolNewestPerTask', () => {
  it('keeps, per task, the trajectory of the newest round that has a surviving one', () => {
    const base = keptTrajectories(3, { round: 0, firstTask: 0 }); // tasks 0, 1, 2
    const round1 = keptTrajectories(2, { round: 1, firstTask: 1 }); // tasks 1, 2
    const round2 = keptTrajectories(1, { round: 2, firstTask: 2 }); // task 2
    const pooled = poolNewestPerTask([{ round: 2, trajectories: round2 }, { round: 0, trajectories: base }, { round: 1, trajectories: round1 }]);
    expect(pooled.map(({ round, trajectory }) => [round, trajectory.taskId])).toEqual([[0, '0'], [1, '1'], [2, '2']]);
  });

  it('keeps every survivor of the newest round when a task was sampled more than once', () => {
    const base = keptTrajectories(1, { round: 0 });
    const samples = [...keptTrajectories(1, { round: 1 }), { ...keptTrajectories(1, { round: 1 })[0]!, episodeId: 'run/round-1/train/task-0/1' }];
    const pooled = poolNewestPerTask([{ round: 0, trajectories: base }, { round: 1, trajectories: samples }]);
    expect(pooled.map(({ trajectory }) => trajectory.episodeId)).toEqual(['run/round-1/train/task-0/0', 'run/round-1/train/task-0/1']);
  });
});
