// Shapes of the mixture experiment that travel through workflow histories and the client.
import type { RunPlan } from './definitions';

/** METHOD.md's three mixtures, as the experiment names them. */
export const EXPERIMENT_MIXTURES = ['A', 'B', 'C'] as const;
export type ExperimentMixture = (typeof EXPERIMENT_MIXTURES)[number];

/** The round an experiment's shared rollout and its mixtures belong to. */
export const EXPERIMENT_ROUND = 1;

export interface MixtureExperimentInput {
  runId: string;
  mixtures: ExperimentMixture[];
}

export interface MixtureBranchInput {
  runId: string;
  round: number;
  mixture: ExperimentMixture;
  plan: RunPlan;
  /**
   * Whether the branch evaluates its model itself. The experiment passes false and evaluates the
   * branches' models one at a time (evaluations share the sites); absent in histories recorded
   * before, where each branch evaluated concurrently with the others.
   */
  evaluate?: boolean;
}

/** What one mixture produced; nulls where a step was skipped by an operator. */
export interface MixtureBranchResult {
  mixture: ExperimentMixture;
  datasetId: string | null;
  modelId: string | null;
  evaluationId: string | null;
  skippedSteps: string[];
}

/** One mixture's headline against the base model (the full comparison is stored in PostgreSQL). */
export interface MixtureComparisonSummary {
  mixture: ExperimentMixture;
  functionalCorrectness: number | null;
  difference: number | null;
  differenceCi: [number, number] | null;
}

export interface MixtureExperimentResult {
  runId: string;
  baseEvaluationId: string | null;
  mixtures: MixtureBranchResult[];
  comparison: MixtureComparisonSummary[];
  stopReason: string;
}

/** Workflow id of one mixture's branch (mix -> finetune). */
export function mixtureBranchWorkflowId(runId: string, mixture: ExperimentMixture): string {
  return `${runId}/mixture-${mixture}`;
}

/** Workflow id of the evaluation of one mixture's model. */
export function mixtureEvaluationWorkflowId(runId: string, mixture: ExperimentMixture): string {
  return `${mixtureBranchWorkflowId(runId, mixture)}/evaluate`;
}
