import type { Trajectory } from '../domain/trajectory';

/** Kept trajectories from the rollouts of one round (round 0 = the base model's run). */
export interface RoundTrajectories {
  round: number;
  trajectories: Trajectory[];
}

/**
 * Round 2+ pooling (METHOD.md step 3): per task, only the trajectories from the newest round that has a
 * surviving one are kept. With one sample per task this is exactly one trajectory per task; with several
 * samples, all survivors of that newest round are kept. Output: ascending round, input order within one.
 */
export function poolNewestPerTask(rounds: readonly RoundTrajectories[]): Array<{ round: number; trajectory: Trajectory }> {
  const newestRound = new Map<string, number>();
  for (const { round, trajectories } of rounds) {
    for (const trajectory of trajectories) {
      newestRound.set(trajectory.taskId, Math.max(round, newestRound.get(trajectory.taskId) ?? Number.NEGATIVE_INFINITY));
    }
  }
  return [...rounds]
    .sort((left, right) => left.round - right.round)
    .flatMap(({ round, trajectories }) => trajectories
      .filter((trajectory) => newestRound.get(trajectory.taskId) === round)
      .map((trajectory) => ({ round, trajectory })));
}
