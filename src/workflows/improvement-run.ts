// The whole run: a baseline evaluation, then rounds as child workflows with deterministic ids
// (`<runId>/round-<n>`), a promotion gate after each, and continue-as-new between rounds so the
// history stays small. Stops at the round budget or when the gain falls below the threshold.
import { CancellationScope, continueAsNew, executeChild, isCancellation, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { metrics, store } from './activity-options';
import {
  SEARCH_ATTRIBUTES,
  type ImprovementRunInput,
  type ImprovementRunResult,
  type RunPlan,
  type RunProgress,
} from './definitions';
import { improvementRound } from './improvement-round';
import { OperatorControl, SKIPPED } from './operator-control';
import { runBaselineEvaluationSteps } from './round-steps';

/** Drives a multi-round self-improvement run to its end. */
export async function improvementRun(input: ImprovementRunInput): Promise<ImprovementRunResult> {
  const { runId } = input;
  const { workflowId } = workflowInfo();
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.runId, value: runId }]);
  const round = input.progress?.nextRound ?? 0;
  const control = new OperatorControl(runId, round, (update) => store.recordStepState({ ...update, runId, round: 0, workflowId: `${workflowId}` }));
  try {
    return await driveRun(input, control);
  } catch (error) {
    // Cancelled through Temporal (UI, CLI, client): the cancellation has reached the round and its
    // fine-tuning job; the run is recorded as aborted so it does not read `running` for ever.
    if (isCancellation(error) && CancellationScope.current().consideredCancelled) {
      const championModelId = control.championModelId ?? input.plan?.baseModelId ?? 'none';
      await CancellationScope.nonCancellable(() => store.finishRun({ runId, status: 'aborted', championModelId, stopReason: 'cancelled through Temporal' }));
      control.finish('aborted: cancelled through Temporal');
    }
    throw error;
  }
}

async function driveRun(input: ImprovementRunInput, control: OperatorControl): Promise<ImprovementRunResult> {
  const { runId } = input;

  let plan: RunPlan | undefined = input.plan;
  if (!plan) {
    const prepared = await control.runStep('prepare', () => store.prepareRun({ runId }));
    if (prepared === SKIPPED) return finish(control, runId, 0, 'none', 'aborted', 'prepare was skipped; nothing to run');
    plan = prepared;
  }
  const runPlan: RunPlan = plan;

  let progress: RunProgress | undefined = input.progress;
  if (!progress) {
    const { trivial, baseline } = await runBaselineEvaluationSteps(control, runId, runPlan);
    if (baseline === SKIPPED) return finish(control, runId, 0, runPlan.baseModelId, 'aborted', 'the baseline evaluation was skipped');
    progress = {
      nextRound: 1,
      championModelId: runPlan.baseModelId,
      championEvaluationId: baseline.evaluationId,
      previousModelId: runPlan.baseModelId,
      trivialEvaluationId: trivial === SKIPPED ? null : trivial.evaluationId,
    };
  }
  control.championModelId = progress.championModelId;
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.champion, value: progress.championModelId }]);

  const n = progress.nextRound;
  const roundWorkflowId = `${runId}/round-${n}`;
  control.activeChildWorkflowId = roundWorkflowId;
  const result = await control.runStep(`round-${n}`, () => executeChild(improvementRound, {
    workflowId: roundWorkflowId,
    args: [{
      runId,
      round: n,
      plan: runPlan,
      rolloutModelId: progress.championModelId,
      fineTuneFromModelId: runPlan.finetuneFrom === 'base' ? runPlan.baseModelId : progress.previousModelId,
    }],
  }));
  control.activeChildWorkflowId = undefined;

  let next: RunProgress = { ...progress, nextRound: n + 1 };
  let stopReason: string | null = null;
  if (result !== SKIPPED && result.candidateModelId && result.candidateEvaluationId) {
    const candidateModelId = result.candidateModelId;
    const candidateEvaluationId = result.candidateEvaluationId;
    const gate = await control.runStep(`gate-${n}`, () => metrics.applyPromotionGate({
      runId,
      round: n,
      candidateModelId,
      candidateEvaluationId,
      championModelId: progress.championModelId,
      championEvaluationId: progress.championEvaluationId,
      trivialEvaluationId: progress.trivialEvaluationId,
    }));
    next = { ...next, previousModelId: candidateModelId };
    if (gate !== SKIPPED) {
      if (gate.decision === 'promote') next = { ...next, championModelId: candidateModelId, championEvaluationId: candidateEvaluationId };
      if (gate.stop) stopReason = gate.reason;
    }
  }
  if (n >= runPlan.rounds) stopReason = stopReason ?? `round budget of ${runPlan.rounds} reached`;
  if (stopReason) return finish(control, runId, n, next.championModelId, 'completed', stopReason);
  return continueAsNew<typeof improvementRun>({ runId, plan: runPlan, progress: next });
}

async function finish(
  control: OperatorControl,
  runId: string,
  roundsCompleted: number,
  championModelId: string,
  status: 'completed' | 'aborted',
  stopReason: string,
): Promise<ImprovementRunResult> {
  // VERTEX_DTW of the early evaluations needs the later ones' successful trajectories as references.
  if (status === 'completed') await control.runStep('final-metrics', () => metrics.rescoreRunEvaluations({ runId }));
  await store.finishRun({ runId, status, championModelId, stopReason });
  control.finish(`${status}: ${stopReason}`);
  return { runId, roundsCompleted, championModelId, stopReason };
}
