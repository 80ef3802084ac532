// Every workflow the orchestration worker registers (its workflowsPath points here).
export { evaluation } from './evaluation';
export { improvementRound } from './improvement-round';
export { improvementRun } from './improvement-run';
export { rollout } from './rollout';
export { nightlyEvaluation } from './nightly-evaluation';
export { mixtureBranch, mixtureExperiment } from './mixture-experiment';
