import type { StepRecord, Trajectory } from '../domain/trajectory';
import { createSeededRandom } from './seeded-random';
import type { StepPosition, TrainingExample } from './training-example';

/** An in-domain example and the position of its step in the trajectory. */
export interface PositionedExample {
  position: StepPosition;
  example: TrainingExample;
}

/**
 * The candidate steps of one trajectory: the first step, the last step (when there are 2+ steps) and
 * one intermediate step drawn with the seed (when there are 3+ steps). A 1-step trajectory gives only
 * its first step, so the same step is never taken twice. The draw depends only on seed and episode id.
 */
export function selectTrajectorySteps(trajectory: Trajectory, seed: number): Array<{ position: StepPosition; step: StepRecord }> {
  const { steps } = trajectory;
  const first = steps[0];
  if (!first) return [];
  const selected: Array<{ position: StepPosition; step: StepRecord }> = [{ position: 'first', step: first }];
  if (steps.length >= 3) {
    const random = createSeededRandom(seed, `intermediate-step:${trajectory.episodeId}`);
    selected.push({ position: 'intermediate', step: steps[random.integer(1, steps.length - 2)]! });
  }
  if (steps.length >= 2) selected.push({ position: 'last', step: steps[steps.length - 1]! });
  return selected;
}

/** One example per selected step: that step's full prompt -> the model's own response at that step. */
export function examplesFromTrajectory(trajectory: Trajectory, options: { seed: number; round: number }): PositionedExample[] {
  return selectTrajectorySteps(trajectory, options.seed).map(({ position, step }) => ({
    position,
    example: {
      id: `${trajectory.episodeId}#${step.index}`,
      messages: step.promptMessages.map((message) => ({ ...message })),
      response: step.response,
      provenance: {
        source: 'in_domain',
        round: options.round,
        episodeId: trajectory.episodeId,
        taskId: trajectory.taskId,
        intentTemplateId: trajectory.intentTemplateId,
        stepIndex: step.index,
        position,
      },
    },
  }));
}

/**
 * METHOD.md's balancing: with m = the smallest count among the positions present in `positions`,
 * keep m first and m last examples and at most 2m intermediate ones (a seeded choice, input order kept).
 * When any of those positions has no example, m = 0 and nothing is kept; examples without a position are dropped.
 */
export function balanceStepPositions<T extends { position: StepPosition | null }>(
  examples: readonly T[],
  options: { seed: number; positions?: readonly StepPosition[] },
): T[] {
  const positions = options.positions ?? ['first', 'intermediate', 'last'];
  const byPosition = new Map<StepPosition, T[]>(positions.map((position) => [position, []]));
  for (const example of examples) if (example.position !== null) byPosition.get(example.position)?.push(example);
  const m = Math.min(...positions.map((position) => byPosition.get(position)!.length));
  const kept = new Set<T>();
  for (const position of positions) {
    const limit = position === 'intermediate' ? 2 * m : m;
    const random = createSeededRandom(options.seed, `balance:${position}`);
    for (const example of random.sample(byPosition.get(position)!, limit)) kept.add(example);
  }
  return examples.filter((example) => kept.has(example));
}
