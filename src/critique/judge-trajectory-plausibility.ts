import type { Trajectory } from '../domain/trajectory';
import { plausibilityChecks, type PlausibilityCheck } from './plausibility-checks';

/** The heuristic critic's verdict: kept only when no check failed; `failedChecks` in METHOD.md's rule order. */
export interface PlausibilityVerdict {
  kept: boolean;
  failedChecks: PlausibilityCheck[];
}

/** Runs every label-free plausibility check (METHOD.md step 2) on one trajectory. */
export function judgeTrajectoryPlausibility(trajectory: Trajectory): PlausibilityVerdict {
  const failedChecks = plausibilityChecks.filter((check) => check.fails(trajectory)).map((check) => check.name);
  return { kept: failedChecks.length === 0, failedChecks };
}
