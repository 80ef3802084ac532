// One round of self-improvement: generate -> rollout -> critique -> mix -> finetune -> evaluate.
// Each step is an activity or child workflow with its own timeouts and retries; a step whose
// retries are exhausted waits for the operator (see operator-control.ts). Only ids and small
// summaries pass through here; trajectories, datasets and models live in PostgreSQL.
import { CancellationScope, executeChild, isCancellation, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { critique, fineTunePoller, finetune, llm, mix, store } from './activity-options';
import { SEARCH_ATTRIBUTES, type ImprovementRoundInput, type ImprovementRoundResult } from './definitions';
import { evaluation } from './evaluation';
import { OperatorControl, SKIPPED } from './operator-control';
import { rollout } from './rollout';

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

  const pool = note(await control.runStep('generate', async () => {
    const selected = await store.selectTaskPool({ runId, round });
    const synthetic = await llm.generateOodExamples({ runId, round, modelId: input.rolloutModelId });
    return { ...selected, synthetic };
  }, (result) => ({ tasks: result.taskIds.length, synthetic: result.synthetic })), 'generate');

  if (pool) {
    const rolloutId = `${workflowId}/rollout`;
    control.activeChildWorkflowId = rolloutId;
    note(await control.runStep('rollout', () => executeChild(rollout, {
      workflowId: rolloutId,
      args: [{
        episodePrefix: `${runId}/round-${round}/train`,
        runId,
        round,
        evaluationId: null,
        purpose: 'train',
        suiteId: pool.suiteId,
        taskIds: pool.taskIds,
        taskSites: pool.taskSites,
        modelId: input.rolloutModelId,
        samplesPerTask: plan.rollout.samplesPerTask,
        concurrency: plan.rollout.concurrency,
        failureBudget: plan.rollout.failureBudget,
      }],
    }), (result) => result), 'rollout');
    control.activeChildWorkflowId = undefined;
  } else {
    skippedSteps.push('rollout');
  }

  note(await control.runStep('critique', () => critique.critiqueRound({ runId, round }), (result) => result), 'critique');
  const dataset = note(await control.runStep('mix', () => mix.buildRoundDataset({ runId, round }), (result) => result), 'mix');

  let candidateModelId: string | null = null;
  if (dataset) {
    candidateModelId = note(await control.runStep('finetune', async () => {
      const launched = await finetune.launchFineTune({ runId, round, datasetId: dataset.datasetId, fromModelId: input.fineTuneFromModelId });
      try {
        const done = await fineTunePoller(plan.fineTunePollIntervalMs).checkFineTune({ runId, round, jobId: launched.jobId });
        return done.modelId;
      } catch (error) {
        // A cancelled round cancels its fine-tuning job too.
        if (isCancellation(error)) {
          await CancellationScope.nonCancellable(() => finetune.cancelFineTune({ runId, round, jobId: launched.jobId }));
        }
        throw error;
      }
    }, (modelId) => ({ modelId })), 'finetune');
  } else {
    skippedSteps.push('finetune');
  }

  let candidateEvaluationId: string | null = null;
  if (candidateModelId) {
    const evaluationId = `${workflowId}/evaluate`;
    const modelId = candidateModelId;
    control.activeChildWorkflowId = evaluationId;
    const summary = note(await control.runStep('evaluate', () => executeChild(evaluation, {
      workflowId: evaluationId,
      args: [{
        evaluationId,
        modelId,
        suiteId: plan.suiteId,
        split: 'eval',
        label: `round ${round}`,
        runId,
        round,
        samplesPerTask: 1,
        concurrency: plan.rollout.concurrency,
        failureBudget: plan.rollout.failureBudget,
      }],
    }), (result) => result), 'evaluate');
    control.activeChildWorkflowId = undefined;
    candidateEvaluationId = summary ? summary.evaluationId : null;
  } else {
    skippedSteps.push('evaluate');
  }

  control.finish(skippedSteps.length ? `completed (skipped: ${skippedSteps.join(', ')})` : 'completed');
  return { round, candidateModelId, candidateEvaluationId, skippedSteps };
}
