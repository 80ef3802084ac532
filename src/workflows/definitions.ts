// Names and shapes shared by workflows, the CLI and the UI: signals, queries, search attributes,
// and the small payloads that travel through workflow histories (ids and summaries, never data).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';

/** Task queues, one per kind of work (DESIGN.md "Processes"). */
export const TASK_QUEUES = {
  orchestration: 'ratchet-orchestration',
  browser: 'ratchet-browser',
  llm: 'ratchet-llm',
  cpu: 'ratchet-cpu',
  train: 'ratchet-train',
} as const;
export type TaskQueueKind = keyof typeof TASK_QUEUES;

/** Custom search attributes, so the Temporal UI can filter runs by run id, round and step. */
export const SEARCH_ATTRIBUTES = {
  runId: defineSearchAttributeKey('RatchetRunId', 'KEYWORD'),
  round: defineSearchAttributeKey('RatchetRound', 'INT'),
  step: defineSearchAttributeKey('RatchetStep', 'KEYWORD'),
  champion: defineSearchAttributeKey('RatchetChampion', 'KEYWORD'),
};

/** Operator decisions for a step whose retries are exhausted. */
export const retryStepSignal = defineSignal<[{ step?: string; note?: string }?]>('retryStep');
export const skipStepSignal = defineSignal<[{ step?: string; note?: string }?]>('skipStep');
export const abortSignal = defineSignal<[{ reason?: string }?]>('abort');

export type StepStatus = 'pending' | 'running' | 'completed' | 'waiting_for_operator' | 'skipped' | 'aborted';

export interface StepView {
  step: string;
  status: StepStatus;
  attempts: number;
  error?: string;
}

/** What the `status` query answers, for the CLI and the UI. */
export interface WorkflowStatusView {
  runId: string;
  round: number;
  /** `running: <step>`, `waiting for operator: <step>: <error>`, `completed`, ... */
  state: string;
  steps: StepView[];
  /** The child workflow currently running (a round, rollout or evaluation), if any. */
  activeChildWorkflowId?: string;
  championModelId?: string;
}
export const statusQuery = defineQuery<WorkflowStatusView>('status');

/** The parts of the run spec that workflows need, produced by the prepareRun activity. */
export interface RunPlan {
  runId: string;
  rounds: number;
  suiteId: string;
  baseModelId: string;
  trivialModelId: string;
  finetuneFrom: 'base' | 'previous';
  rollout: { samplesPerTask: number; concurrency: number; failureBudget: number };
  gate: { stopWhenGainBelow?: number };
  fineTunePollIntervalMs: number;
}

/** Progress carried across continue-as-new between rounds. */
export interface RunProgress {
  nextRound: number;
  championModelId: string;
  championEvaluationId: string;
  previousModelId: string;
  trivialEvaluationId: string | null;
}

export interface ImprovementRunInput {
  runId: string;
  plan?: RunPlan;
  progress?: RunProgress;
}

export interface ImprovementRunResult {
  runId: string;
  roundsCompleted: number;
  championModelId: string;
  stopReason: string;
}

export interface ImprovementRoundInput {
  runId: string;
  round: number;
  plan: RunPlan;
  /** The model that rolls out on the task pool (the champion). */
  rolloutModelId: string;
  /** The checkpoint the new model is fine-tuned from. */
  fineTuneFromModelId: string;
}

export interface ImprovementRoundResult {
  round: number;
  /** The fine-tuned model, or null when fine-tuning was skipped by an operator. */
  candidateModelId: string | null;
  candidateEvaluationId: string | null;
  skippedSteps: string[];
}

export type EpisodePurpose = 'train' | 'eval';

/** The sites a task uses and whether it writes to them (program_html tasks change site state). */
export interface TaskSites {
  sites: string[];
  writes: boolean;
}

export interface RolloutInput {
  /** Prefix of the episode ids: `<prefix>/<taskId>/<sample>`. */
  episodePrefix: string;
  runId: string | null;
  round: number | null;
  evaluationId: string | null;
  purpose: EpisodePurpose;
  suiteId: string;
  taskIds: number[];
  /** Each task's sites and whether it changes their state: a writer has its sites to itself. */
  taskSites: Record<string, TaskSites>;
  modelId: string;
  samplesPerTask: number;
  concurrency: number;
  failureBudget: number;
}

export interface RolloutResult {
  episodes: number;
  completed: number;
  failed: number;
  meanScore: number | null;
  failedEpisodeIds: string[];
}

export interface EvaluationInput {
  evaluationId: string;
  modelId: string;
  suiteId: string;
  split: 'train' | 'eval' | 'all';
  label: string;
  runId: string | null;
  round: number | null;
  samplesPerTask: number;
  concurrency: number;
  failureBudget: number;
  /** Evaluate only these tasks (a frozen suite for schedules); default: the split. */
  taskLimit?: number;
}

export interface EvaluationSummary {
  evaluationId: string;
  modelId: string;
  episodes: number;
  functionalCorrectness: number | null;
  failedEpisodes: number;
}
