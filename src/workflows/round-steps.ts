// The steps of a round as functions over an OperatorControl, so that a round and an experiment
// (one shared rollout, several mixtures) run the same steps. Each returns the step's result or
// SKIPPED when the operator skipped it; the caller decides what a skip means.
import { CancellationScope, executeChild, isCancellation } from '@temporalio/workflow';
import type { MixturePresetName } from '../mixtures/presets';
import { critique, fineTunePoller, finetune, llm, mix, store } from './activity-options';
import type { EvaluationSummary, RunPlan, TaskSites } from './definitions';
import { evaluation } from './evaluation';
import type { OperatorControl, SKIPPED } from './operator-control';
import { rollout } from './rollout';

/**
 * `trivial-baseline` and `baseline`: the always-N/A agent and the base model on the held-out split,
 * each a child `evaluation` workflow `<runId>/trivial` and `<runId>/baseline`.
 */
export async function runBaselineEvaluationSteps(control: OperatorControl, runId: string, plan: RunPlan): Promise<{ trivial: EvaluationSummary | typeof SKIPPED; baseline: EvaluationSummary | typeof SKIPPED }> {
  const evaluate = (modelId: string, label: string, suffix: string) => {
    const evaluationId = `${runId}/${suffix}`;
    control.activeChildWorkflowId = evaluationId;
    return executeChild(evaluation, {
      workflowId: evaluationId,
      args: [{
        evaluationId, modelId, suiteId: plan.suiteId, split: 'eval', label, runId, round: 0,
        samplesPerTask: 1, concurrency: plan.rollout.concurrency, failureBudget: plan.rollout.failureBudget,
      }],
    });
  };
  const trivial = await control.runStep('trivial-baseline', () => evaluate(plan.trivialModelId, 'always N/A', 'trivial'));
  const baseline = await control.runStep('baseline', () => evaluate(plan.baseModelId, 'base', 'baseline'));
  control.activeChildWorkflowId = undefined;
  return { trivial, baseline };
}

interface RoundRef {
  runId: string;
  round: number;
}

export interface TaskPool {
  suiteId: string;
  taskIds: number[];
  taskSites: Record<string, TaskSites>;
  synthetic: unknown;
}

/** `generate`: the round's in-domain task pool and its out-of-domain synthetic examples. */
export function runGenerateStep(control: OperatorControl, input: RoundRef & { modelId: string }): Promise<TaskPool | typeof SKIPPED> {
  return control.runStep('generate', async () => {
    const selected = await store.selectTaskPool({ runId: input.runId, round: input.round });
    const synthetic = await llm.generateOodExamples({ runId: input.runId, round: input.round, modelId: input.modelId });
    return { ...selected, synthetic };
  }, (result) => ({ tasks: result.taskIds.length, synthetic: result.synthetic }));
}

/** `rollout`: the model on the task pool, as the child workflow `<workflowId>/rollout`. */
export async function runTrainRolloutStep(
  control: OperatorControl,
  input: RoundRef & { workflowId: string; pool: TaskPool; modelId: string; plan: RunPlan },
) {
  const rolloutId = `${input.workflowId}/rollout`;
  control.activeChildWorkflowId = rolloutId;
  const result = await control.runStep('rollout', () => executeChild(rollout, {
    workflowId: rolloutId,
    args: [{
      episodePrefix: `${input.runId}/round-${input.round}/train`,
      runId: input.runId,
      round: input.round,
      evaluationId: null,
      purpose: 'train',
      suiteId: input.pool.suiteId,
      taskIds: input.pool.taskIds,
      taskSites: input.pool.taskSites,
      modelId: input.modelId,
      samplesPerTask: input.plan.rollout.samplesPerTask,
      concurrency: input.plan.rollout.concurrency,
      failureBudget: input.plan.rollout.failureBudget,
    }],
  }), (summary) => summary);
  control.activeChildWorkflowId = undefined;
  return result;
}

/** `critique`: keep the round's plausible trajectories without labels. */
export function runCritiqueStep(control: OperatorControl, input: RoundRef) {
  return control.runStep('critique', () => critique.critiqueRound(input), (result) => result);
}

/** `mix`: the training dataset, from the spec's preset or (in an experiment) the given one. */
export function runMixStep(control: OperatorControl, input: RoundRef & { preset?: MixturePresetName }) {
  return control.runStep('mix', () => mix.buildRoundDataset(input), (result) => result);
}

/** `finetune`: launch the job, then poll until it ends; a cancelled workflow cancels the job too. */
export function runFineTuneStep(
  control: OperatorControl,
  input: RoundRef & { datasetId: string; fromModelId: string; pollIntervalMs: number; variant?: string },
): Promise<string | typeof SKIPPED> {
  const { runId, round, variant } = input;
  return control.runStep('finetune', async () => {
    const launched = await finetune.launchFineTune({ runId, round, datasetId: input.datasetId, fromModelId: input.fromModelId, ...(variant ? { variant } : {}) });
    try {
      const done = await fineTunePoller(input.pollIntervalMs).checkFineTune({ runId, round, jobId: launched.jobId, ...(variant ? { variant } : {}) });
      return done.modelId;
    } catch (error) {
      if (isCancellation(error)) {
        await CancellationScope.nonCancellable(() => finetune.cancelFineTune({ runId, round, jobId: launched.jobId }));
      }
      throw error;
    }
  }, (modelId) => ({ modelId }));
}

/** `evaluate`: the model on the held-out split, as the child evaluation `evaluationId`. */
export async function runEvaluateStep(
  control: OperatorControl,
  input: RoundRef & { evaluationId: string; modelId: string; label: string; plan: RunPlan; step?: string },
) {
  control.activeChildWorkflowId = input.evaluationId;
  const summary = await control.runStep(input.step ?? 'evaluate', () => executeChild(evaluation, {
    workflowId: input.evaluationId,
    args: [{
      evaluationId: input.evaluationId,
      modelId: input.modelId,
      suiteId: input.plan.suiteId,
      split: 'eval',
      label: input.label,
      runId: input.runId,
      round: input.round,
      samplesPerTask: 1,
      concurrency: input.plan.rollout.concurrency,
      failureBudget: input.plan.rollout.failureBudget,
    }],
  }), (result) => result);
  control.activeChildWorkflowId = undefined;
  return summary;
}
