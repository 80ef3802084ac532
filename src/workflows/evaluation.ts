// One model on one suite: rollouts, scores and metrics. Used by rounds, by the run's baseline,
// and by the nightly schedule.
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { metrics, store } from './activity-options';
import type { EvaluationInput, EvaluationSummary } from './definitions';
import { OperatorControl, SKIPPED } from './operator-control';
import { rollout } from './rollout';

/** Evaluates `modelId` on the suite split and stores its metrics under `evaluationId`. */
export async function evaluation(input: EvaluationInput): Promise<EvaluationSummary> {
  const { workflowId } = workflowInfo();
  const control = new OperatorControl(input.runId ?? input.evaluationId, input.round ?? 0, (update) =>
    input.runId ? store.recordStepState({ ...update, runId: input.runId, round: input.round ?? 0, workflowId }) : Promise.resolve(),
  );
  const plan = await control.runStep('prepare', () => store.createEvaluation(input));
  if (plan === SKIPPED) throw new Error('the evaluation cannot go on without its task list');
  const rolloutId = `${input.evaluationId}/rollout`;
  control.activeChildWorkflowId = rolloutId;
  const rolled = await control.runStep('rollout', () =>
    executeChild(rollout, {
      workflowId: rolloutId,
      args: [{
        episodePrefix: input.evaluationId,
        runId: input.runId,
        round: input.round,
        evaluationId: input.evaluationId,
        purpose: 'eval',
        suiteId: input.suiteId,
        taskIds: plan.taskIds,
        taskSites: plan.taskSites,
        modelId: input.modelId,
        samplesPerTask: input.samplesPerTask,
        concurrency: input.concurrency,
        failureBudget: input.failureBudget,
      }],
    }),
  );
  control.activeChildWorkflowId = undefined;
  const summary = await control.runStep('metrics', () => metrics.computeEvaluationMetrics({ evaluationId: input.evaluationId }));
  control.finish('completed');
  return {
    evaluationId: input.evaluationId,
    modelId: input.modelId,
    episodes: rolled === SKIPPED ? 0 : rolled.episodes,
    functionalCorrectness: summary === SKIPPED ? null : summary.functionalCorrectness,
    failedEpisodes: rolled === SKIPPED ? 0 : rolled.failed,
  };
}
