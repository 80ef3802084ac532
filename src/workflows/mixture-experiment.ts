// The paper's mixture comparison as one durable workflow (workflow id = run id): the always-N/A and
// base evaluations, ONE shared generate -> rollout -> critique of the base model, then one child
// workflow per mixture (mix -> finetune, run concurrently), each mixture's model evaluated as soon
// as it is trained and the previous mixture's evaluation is done (one evaluation at a time: they
// share the sites, and a writing task of one would change what another's readers see), the run's
// final metrics, and each mixture's comparison with the base model. Every step goes through
// OperatorControl like a round.
import { executeChild, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { experiment, metrics, store } from './activity-options';
import { SEARCH_ATTRIBUTES, type RunPlan } from './definitions';
import {
  EXPERIMENT_ROUND,
  mixtureBranchWorkflowId,
  mixtureEvaluationWorkflowId,
  type MixtureBranchInput,
  type MixtureBranchResult,
  type MixtureExperimentInput,
  type MixtureExperimentResult,
} from './experiment-definitions';
import { OperatorControl, SKIPPED } from './operator-control';
import { runBaselineEvaluationSteps, runCritiqueStep, runEvaluateStep, runFineTuneStep, runGenerateStep, runMixStep, runTrainRolloutStep } from './round-steps';

const SHARED_ROUND_STEPS = new Set(['generate', 'rollout', 'critique']);

/** Runs the experiment to its end and returns each mixture's model, evaluation and headline comparison. */
export async function mixtureExperiment(input: MixtureExperimentInput): Promise<MixtureExperimentResult> {
  const { runId } = input;
  const { workflowId } = workflowInfo();
  const roundWorkflowId = `${runId}/round-${EXPERIMENT_ROUND}`;
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.runId, value: runId }]);
  // The shared steps are recorded as round 1's (as a run's round records them), the rest as the run's.
  const control = new OperatorControl(runId, 0, (update) => (SHARED_ROUND_STEPS.has(update.step)
    ? store.recordStepState({ ...update, runId, round: EXPERIMENT_ROUND, workflowId: roundWorkflowId })
    : store.recordStepState({ ...update, runId, round: 0, workflowId })));
  const end = async (status: 'completed' | 'aborted', stopReason: string, rest: Partial<MixtureExperimentResult> = {}): Promise<MixtureExperimentResult> => {
    await experiment.finishExperiment({ runId, status, stopReason });
    control.finish(`${status}: ${stopReason}`);
    return { runId, baseEvaluationId: null, mixtures: [], comparison: [], stopReason, ...rest };
  };

  const prepared = await control.runStep('prepare', () => store.prepareRun({ runId }));
  if (prepared === SKIPPED) return end('aborted', 'prepare was skipped; nothing to run');
  const plan: RunPlan = prepared;

  const { trivial, baseline } = await runBaselineEvaluationSteps(control, runId, plan);
  if (baseline === SKIPPED) return end('aborted', 'the baseline evaluation was skipped');

  // One rollout of the base model feeds every mixture.
  const round = EXPERIMENT_ROUND;
  await store.startRound({ runId, round, inputModelId: plan.baseModelId });
  const pool = await runGenerateStep(control, { runId, round, modelId: plan.baseModelId });
  if (pool !== SKIPPED) await runTrainRolloutStep(control, { runId, round, workflowId: roundWorkflowId, pool, modelId: plan.baseModelId, plan });
  await runCritiqueStep(control, { runId, round });

  // Histories recorded before evaluations took turns replay with each branch evaluating itself.
  const evaluationsTakeTurns = patched('mixture-evaluations-one-at-a-time');
  const running = input.mixtures.map(async (mixture): Promise<MixtureBranchResult> => {
    const result = await control.runStep(`mixture-${mixture}`, () => executeChild(mixtureBranch, {
      workflowId: mixtureBranchWorkflowId(runId, mixture),
      args: [{ runId, round, mixture, plan, ...(evaluationsTakeTurns ? { evaluate: false } : {}) }],
    }), (summary) => summary);
    return result === SKIPPED ? { mixture, datasetId: null, modelId: null, evaluationId: null, skippedSteps: ['mix', 'finetune', 'evaluate'] } : result;
  });
  // A branch that fails while an earlier one is awaited below is not an unhandled rejection.
  void Promise.allSettled(running);
  // Each branch step set the state as it started; the status names them all while they run side by side.
  control.finish(`running: ${input.mixtures.map((mixture) => `mixture-${mixture}`).join(', ')}`);
  const branches: MixtureBranchResult[] = [];
  if (evaluationsTakeTurns) {
    for (const branch of running) branches.push(await evaluateBranchModel(control, await branch, { runId, round, plan }));
  } else {
    branches.push(...(await Promise.all(running)));
  }

  // VERTEX_DTW of every evaluation is rescored against the trajectories of all the others.
  await control.runStep('final-metrics', () => metrics.rescoreRunEvaluations({ runId }));
  const compared = await control.runStep('compare', () => experiment.compareExperimentMixtures({
    runId,
    baseEvaluationId: baseline.evaluationId,
    trivialEvaluationId: trivial === SKIPPED ? null : trivial.evaluationId,
    branches,
  }), (summary) => summary);
  const comparison = compared === SKIPPED ? [] : compared;
  const trained = branches.filter((branch) => branch.evaluationId !== null).length;
  return end('completed', `${trained} of ${branches.length} mixtures trained and evaluated`, { baseEvaluationId: baseline.evaluationId, mixtures: branches, comparison });
}

/** Evaluates a trained branch's model on the held-out suite (a step of the experiment); other branches pass through. */
async function evaluateBranchModel(control: OperatorControl, branch: MixtureBranchResult, { runId, round, plan }: { runId: string; round: number; plan: RunPlan }): Promise<MixtureBranchResult> {
  if (branch.modelId === null || branch.evaluationId !== null || branch.skippedSteps.includes('evaluate')) return branch;
  const summary = await runEvaluateStep(control, {
    runId, round, evaluationId: mixtureEvaluationWorkflowId(runId, branch.mixture), modelId: branch.modelId, label: `mixture ${branch.mixture}`, plan, step: `evaluate-mixture-${branch.mixture}`,
  });
  if (summary === SKIPPED) return { ...branch, skippedSteps: [...branch.skippedSteps, 'evaluate'] };
  return { ...branch, evaluationId: summary.evaluationId };
}

/** One mixture of an experiment: its dataset from the shared round, its fine-tune from the base model, and (in histories recorded before evaluations took turns) its evaluation. */
export async function mixtureBranch(input: MixtureBranchInput): Promise<MixtureBranchResult> {
  const { workflowId } = workflowInfo();
  const { runId, round, mixture, plan } = input;
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.runId, value: runId },
    { key: SEARCH_ATTRIBUTES.round, value: round },
  ]);
  const control = new OperatorControl(runId, round, (update) => store.recordStepState({ ...update, runId, round, workflowId }));
  const skippedSteps: string[] = [];

  const dataset = await runMixStep(control, { runId, round, preset: mixture });
  let modelId: string | null = null;
  if (dataset === SKIPPED) {
    skippedSteps.push('mix', 'finetune');
  } else {
    const trained = await runFineTuneStep(control, {
      runId, round, datasetId: dataset.datasetId, fromModelId: plan.baseModelId, pollIntervalMs: plan.fineTunePollIntervalMs, variant: mixture,
    });
    if (trained === SKIPPED) skippedSteps.push('finetune');
    else modelId = trained;
  }
  let evaluationId: string | null = null;
  if (!modelId) {
    skippedSteps.push('evaluate');
  } else if (input.evaluate !== false) {
    const summary = await runEvaluateStep(control, { runId, round, evaluationId: `${workflowId}/evaluate`, modelId, label: `mixture ${mixture}`, plan });
    if (summary === SKIPPED) skippedSteps.push('evaluate');
    else evaluationId = summary.evaluationId;
  }
  const evaluatedBy = input.evaluate === false && modelId ? '; its model is evaluated by the experiment' : '';
  control.finish(`${skippedSteps.length ? `completed (skipped: ${skippedSteps.join(', ')})` : 'completed'}${evaluatedBy}`);
  return { mixture, datasetId: dataset === SKIPPED ? null : dataset.datasetId, modelId, evaluationId, skippedSteps };
}
