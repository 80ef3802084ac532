// The nightly schedule's workflow: evaluate whoever is champion right now on a frozen suite split.
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { store } from './activity-options';
import type { EvaluationSummary } from './definitions';
import { evaluation } from './evaluation';

export interface NightlyEvaluationInput {
  /** The suite to evaluate on (`builtin` or a path the workers can read). */
  suitePath: string;
  split: 'train' | 'eval' | 'all';
  /** Champion of this run; default the champion of the latest completed run. */
  runId?: string;
  taskLimit?: number;
  concurrency: number;
}

/** Resolves the current champion and evaluates it; the evaluation id carries the schedule's run time. */
export async function nightlyEvaluation(input: NightlyEvaluationInput): Promise<EvaluationSummary> {
  const target = await store.prepareNightlyEvaluation({ suitePath: input.suitePath, runId: input.runId });
  const evaluationId = `nightly/${workflowInfo().workflowId}`;
  return executeChild(evaluation, {
    workflowId: evaluationId,
    args: [{
      evaluationId,
      modelId: target.modelId,
      suiteId: target.suiteId,
      split: input.split,
      label: `nightly ${target.modelId}`,
      runId: null,
      round: null,
      samplesPerTask: 1,
      concurrency: input.concurrency,
      failureBudget: 0.1,
      taskLimit: input.taskLimit,
    }],
  });
}
