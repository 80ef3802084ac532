import { evaluationMetricsSchema, EVALUATION_SUMMARY_METRIC, type EvaluationMetrics } from '../domain/evaluation-metrics';
import { parseRunSpec } from '../config/run-spec';
import type { Queryable } from '../storage/database';
import { listEpisodes, type EpisodeRow } from '../storage/episodes';
import { getMetricValues, listEvaluations } from '../storage/evaluations';
import { getRun, listStepStates } from '../storage/runs';
import { buildExperimentSection } from './build-experiment-section';
import type { ReportData, ReportEpisode, ReportEvaluation, ReportRound } from './report-data';

/** A file name for an episode's page. */
export function episodePageName(episodeId: string): string {
  return `episodes/${episodeId.replace(/[^A-Za-z0-9._-]+/g, '_')}.html`;
}

function toReportEvaluation(
  evaluation: { id: string; label: string; model_id: string; round: number | null },
  metrics: EvaluationMetrics | null,
  baseline: EvaluationMetrics | null,
  baselineLabel: string | null,
): ReportEvaluation {
  const capabilities = new Set(metrics?.capabilities ?? []);
  const baseCapabilities = new Set(baseline?.capabilities ?? []);
  return {
    id: evaluation.id,
    label: evaluation.label,
    model: evaluation.model_id,
    round: evaluation.round,
    functionalCorrectness: metrics?.functionalCorrectness ?? null,
    functionalCorrectnessCi: metrics?.functionalCorrectnessCi ?? null,
    functionalCorrectnessNonTrivial: metrics?.functionalCorrectnessNonTrivial ?? null,
    capabilityScore: metrics?.capabilityScore ?? 0,
    capabilitiesGained: baseline && metrics ? [...capabilities].filter((capability) => !baseCapabilities.has(capability)).sort() : [],
    capabilitiesLost: baseline && metrics ? [...baseCapabilities].filter((capability) => !capabilities.has(capability)).sort() : [],
    comparedWith: baseline ? baselineLabel : null,
    vertexDtw: metrics?.vertexDtw ?? null,
    vertexDtwNonTrivial: metrics?.vertexDtwNonTrivial ?? null,
    vertexDtwPerTask: (metrics?.vertexDtwPerTask ?? []).map((entry) => entry.score),
    avgTrajectoryLength: metrics?.avgTrajectoryLength ?? null,
    invalidActionRate: metrics?.invalidActionRate ?? null,
    earlyStops: metrics?.earlyStops ?? {},
    tokens: metrics?.tokens ?? { prompt: 0, completion: 0, perEpisode: null },
    episodes: metrics?.episodes ?? 0,
    metrics,
  };
}

function toReportEpisode(episode: EpisodeRow): ReportEpisode {
  return {
    id: episode.id,
    evaluation: episode.evaluation_id,
    round: episode.round,
    purpose: episode.purpose,
    taskId: episode.task_id,
    model: episode.model_id,
    score: episode.score,
    length: episode.length,
    answer: episode.answer,
    earlyStopReason: episode.early_stop_reason,
    page: episodePageName(episode.id),
    trace: episode.trace_path,
  };
}

/** Reads everything the report shows for one run from PostgreSQL. */
export async function buildReportData(db: Queryable, runId: string): Promise<ReportData> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} is not in the database (see 'npx ratchet status')`);
  const spec = parseRunSpec(run.spec, `run ${runId}`);

  const evaluationRows = await listEvaluations(db, { runId });
  const metricsById = new Map<string, EvaluationMetrics | null>();
  for (const evaluation of evaluationRows) {
    const stored = (await getMetricValues(db, evaluation.id)).get(EVALUATION_SUMMARY_METRIC);
    const parsed = evaluationMetricsSchema.safeParse(stored?.detail);
    metricsById.set(evaluation.id, parsed.success ? parsed.data : null);
  }
  const baseline = evaluationRows.find((evaluation) => evaluation.id === `${runId}/baseline`) ?? null;
  const evaluations = evaluationRows.map((evaluation) =>
    toReportEvaluation(evaluation, metricsById.get(evaluation.id) ?? null,
      baseline && evaluation.id !== baseline.id && !evaluation.id.endsWith('/trivial') ? metricsById.get(baseline.id) ?? null : null,
      baseline?.label ?? null));

  const roundRows = await db.query('SELECT * FROM rounds WHERE run_id = $1 ORDER BY number', [runId]);
  const stepStates = await listStepStates(db, runId);
  const episodes = await listEpisodes(db, { runId });
  const rounds: ReportRound[] = roundRows.rows.map((row: { number: number; status: string; input_model_id: string | null; output_model_id: string | null; promotion: unknown; filter_quality: ReportRound['filterQuality'] | null }) => {
    const trainEpisodes = episodes.filter((episode) => episode.round === row.number && episode.purpose === 'train');
    return {
      number: row.number,
      status: row.status,
      inputModel: row.input_model_id,
      candidateModel: row.output_model_id,
      promotion: row.promotion,
      filterQuality: row.filter_quality
        ? { precision: row.filter_quality.precision, recall: row.filter_quality.recall, f1: row.filter_quality.f1, keptCount: row.filter_quality.keptCount, total: row.filter_quality.total }
        : null,
      steps: stepStates.filter((state) => state.workflow_id === `${runId}/round-${row.number}`)
        .map((state) => ({ step: state.step, status: state.status, attempts: state.attempts, error: state.error })),
      trainingTokens: {
        prompt: trainEpisodes.reduce((sum, episode) => sum + (episode.prompt_tokens ?? 0), 0),
        completion: trainEpisodes.reduce((sum, episode) => sum + (episode.completion_tokens ?? 0), 0),
      },
    };
  });

  return {
    generatedAt: new Date().toISOString(),
    run: {
      id: run.id,
      status: run.status,
      stopReason: run.stop_reason,
      champion: run.champion_model_id,
      specName: spec.name,
      rounds: spec.rounds,
      mixture: spec.mixture.preset,
    },
    evaluations,
    rounds,
    episodes: episodes.map(toReportEpisode),
    experiment: await buildExperimentSection(db, runId, evaluationRows, metricsById),
  };
}
