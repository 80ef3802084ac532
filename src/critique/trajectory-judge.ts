import { z } from 'zod';
import type { Trajectory } from '../domain/trajectory';
import { judgeTrajectoryPlausibility, type PlausibilityVerdict } from './judge-trajectory-plausibility';
import type { PlausibilityCheck } from './plausibility-checks';

/** A second critic (typically an LLM) that reads a trajectory and says whether it looks plausible. */
export interface TrajectoryJudge {
  judge(trajectory: Trajectory): Promise<TrajectoryJudgment>;
}

/** What a trajectory judge must return; validated, because it usually comes from model output. */
export const trajectoryJudgmentSchema = z.strictObject({
  plausible: z.boolean(),
  reason: z.string(),
});
export type TrajectoryJudgment = z.infer<typeof trajectoryJudgmentSchema>;

/** The name recorded in `failedChecks` when the second critic rejects a trajectory. */
export const JUDGE_REJECTED = 'judge_rejected' as const;

/** Both critics' verdicts; `judgment` is null when no judge was asked. */
export interface TrajectoryCritique {
  kept: boolean;
  failedChecks: Array<PlausibilityCheck | typeof JUDGE_REJECTED>;
  heuristic: PlausibilityVerdict;
  judgment: TrajectoryJudgment | null;
}

/** A judge that answered something other than `{ plausible, reason }`. */
export class TrajectoryJudgmentError extends Error {
  override readonly name = 'TrajectoryJudgmentError';
  constructor(readonly episodeId: string, readonly problems: string[]) {
    super(`trajectory judge on episode ${episodeId}: invalid judgment: ${problems.join('; ')}`);
  }
}

/** Combination rule: a trajectory is kept only when both critics agree it is plausible. */
export function combineCritiques(heuristic: PlausibilityVerdict, judgment: TrajectoryJudgment | null): TrajectoryCritique {
  const judgeRejects = judgment !== null && !judgment.plausible;
  return {
    kept: heuristic.kept && !judgeRejects,
    failedChecks: judgeRejects ? [...heuristic.failedChecks, JUDGE_REJECTED] : [...heuristic.failedChecks],
    heuristic,
    judgment,
  };
}

/**
 * Critiques one trajectory with the heuristic checks and, when given, a judge. The judge is not asked
 * about trajectories the checks already rejected unless `askJudgeAlways` is set (useful to measure the
 * judge on its own, at the cost of more calls). Errors from the judge propagate: the caller retries.
 */
export async function critiqueTrajectory(
  trajectory: Trajectory,
  options: { judge?: TrajectoryJudge; askJudgeAlways?: boolean } = {},
): Promise<TrajectoryCritique> {
  const heuristic = judgeTrajectoryPlausibility(trajectory);
  if (!options.judge || (!heuristic.kept && !options.askJudgeAlways)) return combineCritiques(heuristic, null);
  const parsed = trajectoryJudgmentSchema.safeParse(await options.judge.judge(trajectory));
  if (!parsed.success) {
    throw new TrajectoryJudgmentError(trajectory.episodeId, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return combineCritiques(heuristic, parsed.data);
}
