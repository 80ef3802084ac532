import { ApplicationFailure } from '@temporalio/activity';
import { EVALUATION_SUMMARY_METRIC, evaluationMetricsSchema, type EvaluationMetrics } from '../../domain/evaluation-metrics';
import { compareEvaluations } from '../../metrics/compare-evaluations';
import { getMetricValues } from '../../storage/evaluations';
import { finishExperimentRun, upsertExperimentMixture } from '../../storage/experiments';
import { completeRound } from '../../storage/runs';
import { EXPERIMENT_ROUND, type MixtureBranchResult, type MixtureComparisonSummary } from '../../workflows/experiment-definitions';
import type { ActivityDependencies } from '../dependencies';
import { loadRunSpecOf } from '../store';

/** Confidence of the intervals in an experiment's comparison table (the evaluations' own CIs are 95% too). */
const COMPARISON_CONFIDENCE = 0.95;

/** Experiment activities (cpu queue): each mixture against the base model, and the experiment's end. */
export function createExperimentActivities(deps: ActivityDependencies) {
  async function storedMetrics(evaluationId: string): Promise<EvaluationMetrics> {
    const stored = (await getMetricValues(deps.db, evaluationId)).get(EVALUATION_SUMMARY_METRIC);
    const parsed = evaluationMetricsSchema.safeParse(stored?.detail);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(`evaluation ${evaluationId} has no stored metrics`, 'MissingMetrics');
    return parsed.data;
  }

  return {
    /**
     * Compares each mixture's evaluation with the base model's on the tasks both scored (paired
     * bootstrap seeded from the spec) and stores every mixture's dataset, model, evaluation and comparison.
     */
    async compareExperimentMixtures(input: {
      runId: string; baseEvaluationId: string; trivialEvaluationId: string | null; branches: MixtureBranchResult[];
    }): Promise<MixtureComparisonSummary[]> {
      const spec = await loadRunSpecOf(deps, input.runId);
      const base = await storedMetrics(input.baseEvaluationId);
      const summaries: MixtureComparisonSummary[] = [];
      for (const branch of input.branches) {
        const comparison = branch.evaluationId
          ? compareEvaluations(base, await storedMetrics(branch.evaluationId), { seed: spec.seed, resamples: spec.gate.bootstrapSamples, confidence: COMPARISON_CONFIDENCE })
          : null;
        await upsertExperimentMixture(deps.db, { runId: input.runId, ...branch, comparison });
        summaries.push({
          mixture: branch.mixture,
          functionalCorrectness: comparison?.candidate.functionalCorrectness ?? null,
          difference: comparison?.difference ?? null,
          differenceCi: comparison?.differenceCi ?? null,
        });
      }
      await completeRound(deps.db, { runId: input.runId, number: EXPERIMENT_ROUND, outputModelId: null, promotion: { experiment: summaries } });
      return summaries;
    },

    /** Records how the experiment ended. */
    async finishExperiment(update: { runId: string; status: 'completed' | 'aborted'; stopReason: string }): Promise<void> {
      await finishExperimentRun(deps.db, update);
    },
  };
}

export type ExperimentActivities = ReturnType<typeof createExperimentActivities>;
