// One round of self-improvement: generate -> rollout -> critique -> mix -> finetune -> evaluate.
// Each step is an activity or child workflow with its own timeouts and retries; a step whose
// retries are exhausted waits for the operator (see operator-control.ts). Only ids and small
// summaries pass through here; trajectories, datasets and models live in PostgreSQL.
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { store } from './activity-options';
import { SEARCH_ATTRIBUTES, type ImprovementRoundInput, type ImprovementRoundResult } from './definitions';
import { OperatorControl, SKIPPED } from './operator-control';
import { runCritiqueStep, runEvaluateStep, runFineTuneStep, runGenerateStep, runMixStep, runTrainRolloutStep } from './round-steps';

/** Runs the six steps of one round and returns the candidate model and its evaluation. */
export async function improvementRound(input: ImprovementRoundInput): Promise<ImprovementRoundResult> {
  const { workflowId } = workflowInfo();
  const { runId, round, plan } = input;
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.runId, value: runId },
    { key: SEARCH_ATTRIBUTES.round, value: round },
  ]);
  const control = new OperatorControl(runId, round, (update) => store.recordStepState({ ...update, runId, round, workflowId }));
  const skippedSteps: string[] = [];
  const note = <T>(result: T | typeof SKIPPED, step: string): T | null => {
    if (result === SKIPPED) {
      skippedSteps.push(step);
      return null;
    }
    return result;
  };

  await store.startRound({ runId, round, inputModelId: input.rolloutModelId });

  const pool = note(await runGenerateStep(control, { runId, round, modelId: input.rolloutModelId }), 'generate');
  if (pool) {
    note(await runTrainRolloutStep(control, { runId, round, workflowId, pool, modelId: input.rolloutModelId, plan }), 'rollout');
  } else {
    skippedSteps.push('rollout');
  }

  note(await runCritiqueStep(control, { runId, round }), 'critique');
  const dataset = note(await runMixStep(control, { runId, round }), 'mix');

  let candidateModelId: string | null = null;
  if (dataset) {
    candidateModelId = note(await runFineTuneStep(control, {
      runId, round, datasetId: dataset.datasetId, fromModelId: input.fineTuneFromModelId, pollIntervalMs: plan.fineTunePollIntervalMs,
    }), 'finetune');
  } else {
    skippedSteps.push('finetune');
  }

  let candidateEvaluationId: string | null = null;
  if (candidateModelId) {
    const summary = note(await runEvaluateStep(control, {
      runId, round, evaluationId: `${workflowId}/evaluate`, modelId: candidateModelId, label: `round ${round}`, plan,
    }), 'evaluate');
    candidateEvaluationId = summary ? summary.evaluationId : null;
  } else {
    skippedSteps.push('evaluate');
  }

  control.finish(skippedSteps.length ? `completed (skipped: ${skippedSteps.join(', ')})` : 'completed');
  return { round, candidateModelId, candidateEvaluationId, skippedSteps };
}
