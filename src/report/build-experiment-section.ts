import type { EvaluationMetrics } from '../domain/evaluation-metrics';
import type { Queryable } from '../storage/database';
import { getExperiment, listExperimentMixtures } from '../storage/experiments';
import type { ReportExperiment } from './report-data';

/** The report's experiment section, or null when the run is not an experiment. */
export async function buildExperimentSection(
  db: Queryable,
  runId: string,
  evaluations: ReadonlyArray<{ id: string; model_id: string }>,
  metricsById: ReadonlyMap<string, EvaluationMetrics | null>,
): Promise<ReportExperiment | null> {
  const experiment = await getExperiment(db, runId);
  if (!experiment) return null;
  const baseEvaluation = evaluations.find((evaluation) => evaluation.id === `${runId}/baseline`);
  const baseMetrics = baseEvaluation ? metricsById.get(baseEvaluation.id) ?? null : null;
  const stored = await listExperimentMixtures(db, runId);
  return {
    mixtures: experiment.mixtures,
    base: baseEvaluation && baseMetrics ? {
      evaluation: baseEvaluation.id,
      model: baseEvaluation.model_id,
      functionalCorrectness: baseMetrics.functionalCorrectness,
      functionalCorrectnessCi: baseMetrics.functionalCorrectnessCi,
      capabilityScore: baseMetrics.capabilityScore,
      capabilities: baseMetrics.capabilities,
      vertexDtw: baseMetrics.vertexDtw,
      avgTrajectoryLength: baseMetrics.avgTrajectoryLength,
      invalidActionRate: baseMetrics.invalidActionRate,
    } : null,
    // Every requested mixture has a row, also before (or without) its stored outcome.
    rows: experiment.mixtures.map((mixture) => {
      const row = stored.find((entry) => entry.mixture === mixture);
      return {
        mixture,
        dataset: row?.dataset_id ?? null,
        composition: Object.fromEntries(Object.entries(row?.composition ?? {}).sort(([a], [b]) => a.localeCompare(b))),
        model: row?.model_id ?? null,
        evaluation: row?.evaluation_id ?? null,
        skippedSteps: row?.skipped_steps ?? [],
        comparison: row?.comparison ?? null,
      };
    }),
  };
}
