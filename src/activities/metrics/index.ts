import { ApplicationFailure, Context } from '@temporalio/activity';
import { EVALUATION_SUMMARY_METRIC, evaluationMetricsSchema, type EvaluationMetrics } from '../../domain/evaluation-metrics';
import { compareCapabilities, scoreCapabilities } from '../../metrics/capability-score';
import { groupCapabilities, capabilityIdByTemplate } from '../../metrics/capability-groups';
import { compareFunctionalCorrectness, scoreFunctionalCorrectness } from '../../metrics/functional-correctness';
import { normalizedDtw, successWeightedDtw } from '../../metrics/navigation-dtw';
import type { TaskScore } from '../../metrics/task-score';
import { summarizeTrajectories } from '../../metrics/trajectory-statistics';
import { summarizeVertexDtw, type TaskVertexDtwScores } from '../../metrics/vertex-dtw-summary';
import { VertexDtwWorkerPool } from '../../metrics/vertex-dtw-worker-pool';
import type { VertexDtwJob } from '../../metrics/vertex-dtw';
import type { StepRecord } from '../../domain/trajectory';
import { listEpisodes, listSteps, type EpisodeRow } from '../../storage/episodes';
import { getEvaluation, getMetricValues, listEvaluations, storeMetricValues } from '../../storage/evaluations';
import { setChampion } from '../../storage/models';
import { completeRound } from '../../storage/runs';
import { listTasks, taskConfigText } from '../../storage/tasks';
import type { EvaluationSummary } from '../../workflows/definitions';
import type { ActivityDependencies } from '../dependencies';
import { toModelCallFailure } from '../activity-failure';
import { clientFor, specEndpoint } from '../model-endpoints';
import { loadRunSpecOf } from '../store';
import { ALWAYS_NA_MODEL_ID } from '../store/register-models';
import { embedTrajectories } from './step-embeddings';

/** Per-step cosine distance at which a test step counts as "at" its reference step (nDTW's d). */
const NDTW_THRESHOLD_DISTANCE = 0.5;
const BOOTSTRAP = { resamples: 2_000, confidence: 0.95 };

/** One score per task: the mean over its scored samples. */
function taskScores(episodes: EpisodeRow[], templateOf: Map<number, number>): TaskScore[] {
  const byTask = new Map<number, number[]>();
  for (const episode of episodes) {
    if (episode.score === null) continue;
    byTask.set(episode.task_id, [...(byTask.get(episode.task_id) ?? []), episode.score]);
  }
  return [...byTask.entries()].map(([taskId, scores]) => ({
    taskId: String(taskId),
    intentTemplateId: templateOf.get(taskId) ?? -1,
    score: scores.reduce((sum, score) => sum + score, 0) / scores.length,
  }));
}

/** Metrics and promotion-gate activities (cpu queue). */
export function createMetricsActivities(deps: ActivityDependencies) {
  async function trivialTaskIds(evaluationId: string | null): Promise<Set<string>> {
    if (!evaluationId) return new Set();
    const episodes = await listEpisodes(deps.db, { evaluationId });
    return new Set(episodes.filter((episode) => episode.score === 1).map((episode) => String(episode.task_id)));
  }

  async function storedMetrics(evaluationId: string): Promise<EvaluationMetrics> {
    const stored = (await getMetricValues(deps.db, evaluationId)).get(EVALUATION_SUMMARY_METRIC);
    const parsed = evaluationMetricsSchema.safeParse(stored?.detail);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(`evaluation ${evaluationId} has no stored metrics`, 'MissingMetrics');
    return parsed.data;
  }

  /** Computes and stores every metric of one evaluation (see computeEvaluationMetrics). */
  async function scoreEvaluation(evaluationId: string): Promise<EvaluationSummary & { functionalCorrectness: number | null }> {
    const context = Context.current();
    const evaluation = await getEvaluation(deps.db, evaluationId);
    const spec = evaluation.run_id ? await loadRunSpecOf(deps, evaluation.run_id) : null;
    const episodes = (await listEpisodes(deps.db, { evaluationId })).filter((episode) => episode.status === 'completed');
    const tasks = await listTasks(deps.db, evaluation.suite_id);
    const templateOf = new Map(tasks.map((task) => [task.taskId, task.intentTemplateId]));
    const seed = spec?.seed ?? 0;

    const trivialEvaluation = evaluation.run_id
      ? `${evaluation.run_id}/trivial`
      : (await listEvaluations(deps.db, { modelId: ALWAYS_NA_MODEL_ID })).filter((row) => row.suite_id === evaluation.suite_id).at(-1)?.id ?? null;
    const trivial = evaluation.model_id === ALWAYS_NA_MODEL_ID ? new Set<string>() : await trivialTaskIds(trivialEvaluation);
    const scores = taskScores(episodes, templateOf);
    const correctness = scoreFunctionalCorrectness(scores, { trivialTaskIds: trivial, bootstrap: { seed, ...BOOTSTRAP } });

    const groups = groupCapabilities(tasks.map((task) => ({
      intentTemplateId: task.intentTemplateId,
      sites: task.sites.length ? task.sites : ['unknown'],
      intentTemplate: taskConfigText(task, 'intent_template'),
    })));
    const capabilities = scoreCapabilities(scores, groups);

    // Trajectories of this evaluation, the run's other evaluations (references) and the base model (baseline).
    const stepsOf = new Map<string, StepRecord[]>();
    for (const episode of episodes) stepsOf.set(episode.id, await listSteps(deps.db, episode.id));
    const references = new Map<number, EpisodeRow[]>();
    const baselineByTask = new Map<number, EpisodeRow>();
    const others = evaluation.run_id ? (await listEvaluations(deps.db, { runId: evaluation.run_id })).filter((row) => row.id !== evaluationId && row.model_id !== ALWAYS_NA_MODEL_ID) : [];
    for (const other of others) {
      for (const episode of await listEpisodes(deps.db, { evaluationId: other.id })) {
        if (episode.status !== 'completed') continue;
        if (other.id.endsWith('/baseline')) baselineByTask.set(episode.task_id, episode);
        if (episode.score === 1) references.set(episode.task_id, [...(references.get(episode.task_id) ?? []), episode]);
        if (!stepsOf.has(episode.id)) stepsOf.set(episode.id, await listSteps(deps.db, episode.id));
      }
    }
    // The base model's own evaluation has its own trajectories as baseline, like every other
    // evaluation has the base model's: each row then reads as "over the base model" (the base ~0),
    // instead of the base alone being scored without the subtraction.
    if (evaluationId.endsWith('/baseline')) {
      for (const episode of episodes) if (episode.status === 'completed') baselineByTask.set(episode.task_id, episode);
    }
    context.heartbeat('loaded trajectories');

    const embeddingsEndpoint = specEndpoint(spec?.embeddings ?? 'local');
    const sequences = await embedTrajectories({ client: clientFor(deps, embeddingsEndpoint.endpoint), model: embeddingsEndpoint.model }, stepsOf, () => context.heartbeat('embedding'))
      .catch((error: unknown) => { throw toModelCallFailure(error, `step embeddings (${embeddingsEndpoint.model}) for evaluation ${evaluationId}`); });
    const jobs: Array<{ taskId: number; testEpisode: EpisodeRow; referenceLength: number; job: VertexDtwJob }> = [];
    for (const episode of episodes) {
      const test = sequences.get(episode.id);
      if (!test) continue;
      const baselineEpisode = baselineByTask.get(episode.task_id);
      const baseline = baselineEpisode ? sequences.get(baselineEpisode.id) ?? null : null;
      for (const reference of references.get(episode.task_id) ?? []) {
        const sequence = sequences.get(reference.id);
        if (sequence) jobs.push({ taskId: episode.task_id, testEpisode: episode, referenceLength: sequence.length, job: { reference: sequence, test, baseline } });
      }
    }
    const pool = await VertexDtwWorkerPool.start({ size: 2 });
    let results;
    try {
      results = await pool.scoreBatch(jobs.map((entry) => entry.job), { signal: context.cancellationSignal, onProgress: () => context.heartbeat('vertex-dtw') });
    } finally {
      await pool.close();
    }
    const perTask = new Map<number, { scores: number[]; ndtw: number; sdtw: number }>();
    results.forEach((result, index) => {
      const entry = jobs[index]!;
      // Cosine distances of (near-)identical steps can round to -1e-16; DTW of distances is >= 0.
      const ndtw = normalizedDtw(Math.max(0, result.dtw), entry.referenceLength, NDTW_THRESHOLD_DISTANCE);
      const success = entry.testEpisode.score === 1 ? 1 : 0;
      const current = perTask.get(entry.taskId) ?? { scores: [], ndtw: 0, sdtw: 0 };
      current.scores.push(result.vertexDtw);
      current.ndtw = Math.max(current.ndtw, ndtw);
      current.sdtw = Math.max(current.sdtw, successWeightedDtw(success, ndtw));
      perTask.set(entry.taskId, current);
    });
    const capabilityOf = capabilityIdByTemplate(groups);
    const vertexInput: TaskVertexDtwScores[] = [...perTask.entries()].map(([taskId, value]) => ({
      taskId: String(taskId), capabilityId: capabilityOf.get(templateOf.get(taskId) ?? -1) ?? -1, referenceScores: value.scores,
    }));
    const vertex = summarizeVertexDtw(vertexInput, trivial);
    const meanOf = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null);

    const statistics = summarizeTrajectories(episodes.map((episode) => ({
      round: episode.round ?? 0,
      length: episode.length ?? 0,
      earlyStopReason: (episode.early_stop_reason as 'max_steps' | 'parse_failures' | 'repeated_actions' | 'repeated_typing' | null) ?? null,
      promptTokens: episode.prompt_tokens ?? 0,
      completionTokens: episode.completion_tokens ?? 0,
      steps: (stepsOf.get(episode.id) ?? []).map((step) => ({ valid: step.valid, invalidKind: step.invalidKind })),
    })));

    const metrics: EvaluationMetrics = {
      episodes: episodes.length,
      scoredEpisodes: episodes.filter((episode) => episode.score !== null).length,
      functionalCorrectness: correctness.all.rate,
      functionalCorrectnessCi: correctness.all.interval ? [correctness.all.interval.lower, correctness.all.interval.upper] : null,
      functionalCorrectnessNonTrivial: correctness.withoutTrivial.rate,
      trivialTaskIds: [...trivial].map(Number).sort((a, b) => a - b),
      capabilityScore: capabilities.score,
      capabilityGroups: groups.length,
      capabilities: capabilities.solvedCapabilityIds.map((id) => `template-${id}`),
      vertexDtw: vertex.mean,
      vertexDtwByCapability: vertex.byCapability,
      vertexDtwNonTrivial: vertex.meanWithoutTrivial,
      vertexDtwByCapabilityNonTrivial: vertex.byCapabilityWithoutTrivial,
      vertexDtwPerTask: vertex.taskScores.map((entry) => ({ taskId: Number(entry.taskId), score: entry.score })),
      nDtw: meanOf([...perTask.values()].map((value) => value.ndtw)),
      sDtw: meanOf([...perTask.values()].map((value) => value.sdtw)),
      avgTrajectoryLength: statistics.averageLength,
      invalidActionRate: statistics.invalidActions.rate,
      invalidActions: { unparsable: statistics.invalidActions.unparsable, missingElement: statistics.invalidActions.missingElement },
      earlyStops: Object.fromEntries(Object.entries(statistics.earlyStops).filter(([reason]) => reason !== 'none')),
      tokens: { prompt: statistics.tokens.promptTokens, completion: statistics.tokens.completionTokens, perEpisode: statistics.tokens.perEpisode },
      taskScores: scores.map((score) => ({ taskId: Number(score.taskId), capabilityId: `template-${capabilityOf.get(score.intentTemplateId) ?? score.intentTemplateId}`, score: score.score })),
    };
    await storeMetricValues(deps.db, evaluationId, [
      { name: EVALUATION_SUMMARY_METRIC, value: null, detail: metrics },
      { name: 'functional_correctness', value: metrics.functionalCorrectness },
      { name: 'capability_score', value: metrics.capabilityScore },
      { name: 'vertex_dtw', value: metrics.vertexDtw },
      { name: 'avg_trajectory_length', value: metrics.avgTrajectoryLength },
      { name: 'invalid_action_rate', value: metrics.invalidActionRate },
    ]);
    return {
      evaluationId,
      modelId: evaluation.model_id,
      episodes: episodes.length,
      functionalCorrectness: metrics.functionalCorrectness,
      failedEpisodes: 0,
    };
}

  return {
    /**
     * Scores one evaluation: functional correctness (with CI, with and without trivial tasks),
     * capability score, VERTEX_DTW against the successful trajectories of the run's other evaluations
     * (baseline subtracted; DTW in worker threads), nDTW/SDTW, lengths, invalid actions, early stops, tokens.
     */
    async computeEvaluationMetrics({ evaluationId }: { evaluationId: string }): Promise<EvaluationSummary & { functionalCorrectness: number | null }> {
      return scoreEvaluation(evaluationId);
    },

    /**
     * Scores every evaluation of a finished run again: VERTEX_DTW compares each evaluation with the
     * successful trajectories of the run's other evaluations, and the early ones (the baseline) had
     * none to compare with when they were first scored.
     */
    async rescoreRunEvaluations({ runId }: { runId: string }): Promise<{ evaluations: number }> {
      const evaluations = (await listEvaluations(deps.db, { runId })).filter((evaluation) => evaluation.status === 'completed');
      for (const evaluation of evaluations) await scoreEvaluation(evaluation.id);
      return { evaluations: evaluations.length };
    },

    /**
     * Compares the round's candidate with the champion on the held-out evaluation: the paired
     * bootstrap CI of the gain and the capabilities lost. Promotes, keeps the champion, and says
     * whether the run should stop because the gain fell below the threshold.
     */
    async applyPromotionGate(input: {
      runId: string; round: number; candidateModelId: string; candidateEvaluationId: string;
      championModelId: string; championEvaluationId: string; trivialEvaluationId: string | null;
    }): Promise<{ decision: 'promote' | 'keep'; stop: boolean; reason: string; gain: number | null; interval: [number, number] | null; capabilitiesLost: string[] }> {
      const spec = await loadRunSpecOf(deps, input.runId);
      const [candidate, champion] = await Promise.all([storedMetrics(input.candidateEvaluationId), storedMetrics(input.championEvaluationId)]);
      const toScores = (metrics: EvaluationMetrics): TaskScore[] => metrics.taskScores.filter((entry) => entry.score !== null)
        .map((entry) => ({ taskId: String(entry.taskId), intentTemplateId: 0, score: entry.score ?? 0 }));
      const candidateScores = toScores(candidate);
      const championScores = toScores(champion);
      // Compare on the tasks both evaluations scored (episodes lost to the failure budget are left out).
      const shared = new Set(candidateScores.map((score) => score.taskId).filter((taskId) => championScores.some((other) => other.taskId === taskId)));
      const trivial = await trivialTaskIds(input.trivialEvaluationId);
      const comparison = compareFunctionalCorrectness(
        candidateScores.filter((score) => shared.has(score.taskId)),
        championScores.filter((score) => shared.has(score.taskId)),
        { trivialTaskIds: trivial, bootstrap: { seed: spec.seed + input.round, resamples: spec.gate.bootstrapSamples, confidence: spec.gate.confidence } },
      );
      const toCapabilityScore = (metrics: EvaluationMetrics) => ({ score: metrics.capabilityScore, evaluated: metrics.capabilityGroups, solvedCapabilityIds: metrics.capabilities.map((id) => Number(id.replace('template-', ''))) });
      const change = compareCapabilities(toCapabilityScore(champion), toCapabilityScore(candidate));
      const capabilitiesLost = change.lost.map((id) => `template-${id}`);
      const gain = comparison.all.difference;
      const interval: [number, number] | null = comparison.all.interval ? [comparison.all.interval.lower, comparison.all.interval.upper] : null;
      const tooManyLost = spec.gate.maxCapabilitiesLost !== undefined && capabilitiesLost.length > spec.gate.maxCapabilitiesLost;
      const promote = gain !== null && gain > spec.gate.minGain && !tooManyLost;
      const stop = spec.gate.stopWhenGainBelow !== undefined && (gain === null || gain < spec.gate.stopWhenGainBelow);
      const reason = [
        `gain ${gain === null ? 'n/a' : gain.toFixed(3)}${interval ? ` (${Math.round(spec.gate.confidence * 100)}% CI ${interval[0].toFixed(3)}..${interval[1].toFixed(3)})` : ''} over ${comparison.all.tasks} tasks`,
        promote ? 'promoted' : tooManyLost ? `kept the champion: ${capabilitiesLost.length} capabilities lost` : `kept the champion: gain not above ${spec.gate.minGain}`,
        stop ? `stopping: gain below ${spec.gate.stopWhenGainBelow}` : '',
      ].filter(Boolean).join('; ');
      const outcome = { decision: promote ? 'promote' as const : 'keep' as const, stop, reason, gain, interval, capabilitiesLost };
      await completeRound(deps.db, { runId: input.runId, number: input.round, outputModelId: input.candidateModelId, promotion: { ...outcome, capabilitiesGained: change.gained.map((id) => `template-${id}`) } });
      if (promote) await setChampion(deps.db, input.runId, input.candidateModelId);
      return outcome;
    },
  };
}

export type MetricsActivities = ReturnType<typeof createMetricsActivities>;
