export {
  plausibilityCheckSchema,
  plausibilityChecks,
  REPEATED_ACTION_LIMIT,
  isEarlyStopped,
  hasRepeatedAction,
  declaresImpossible,
  hasNoAnswer,
  hasUnparsableStep,
  hasIncompleteRecord,
  type PlausibilityCheck,
} from './plausibility-checks';
export { judgeTrajectoryPlausibility, type PlausibilityVerdict } from './judge-trajectory-plausibility';
export {
  critiqueTrajectory,
  combineCritiques,
  trajectoryJudgmentSchema,
  TrajectoryJudgmentError,
  JUDGE_REJECTED,
  type TrajectoryJudge,
  type TrajectoryJudgment,
  type TrajectoryCritique,
} from './trajectory-judge';
export { measureFilterQuality, type FilterQuality } from './filter-quality';
