// What a run left in PostgreSQL, read back for the chaos checks: its episodes, the shape of their
// steps, its metrics, and every row that should not exist (duplicates, orphans, unfinished work).
import { z } from 'zod';
import type { Queryable } from '../../src/storage/database';

const episodeRowSchema = z.object({
  id: z.string(),
  scope: z.string(),
  purpose: z.string(),
  task_id: z.number(),
  sample: z.number(),
  status: z.string(),
  attempt: z.number(),
  score: z.number().nullable(),
  answer: z.string().nullable(),
  length: z.number().nullable(),
  invalid_action_count: z.number().nullable(),
  early_stop_reason: z.string().nullable(),
  /** Every step's index, URL, action and a digest of its observation and model response, in order. */
  trajectory: z.array(z.string()),
});
export type EpisodeSnapshot = z.infer<typeof episodeRowSchema>;

const metricRowSchema = z.object({ evaluation_id: z.string(), name: z.string(), value: z.number().nullable(), detail: z.unknown() });
export type MetricSnapshot = z.infer<typeof metricRowSchema>;

export interface RunIntegrity {
  /** (evaluation or round, purpose, task, sample) held by more than one episode row. */
  duplicatedEpisodes: string[];
  /** (episode, index) held by more than one step row. */
  duplicatedSteps: string[];
  /** Steps whose episode does not exist, whose episode is not completed, or with an index at or beyond the episode's length. */
  orphanedSteps: string[];
  /** Completed episodes whose stored steps are not exactly 0..length-1. */
  episodesWithMissingSteps: string[];
  /** Episodes of the run that are not completed. */
  unfinishedEpisodes: string[];
}

export interface RunSnapshot {
  runId: string;
  runStatus: string | null;
  episodes: EpisodeSnapshot[];
  metrics: MetricSnapshot[];
  stepRows: number;
  integrity: RunIntegrity;
}

/** Reads a run's episodes, step shapes, metrics and integrity problems from its database. */
export async function readRunSnapshot(db: Queryable, runId: string): Promise<RunSnapshot> {
  const run = await db.query('SELECT status FROM runs WHERE id = $1', [runId]);
  const episodes = await db.query(
    `SELECT e.id, COALESCE(e.evaluation_id, 'round-' || e.round) AS scope, e.purpose, e.task_id, e.sample, e.status, e.attempt,
            e.score, e.answer, e.length, e.invalid_action_count, e.early_stop_reason,
            COALESCE(array_agg(s.index || ' ' || s.url || ' ' || COALESCE(s.action_text, '<invalid>') || ' ' || left(md5(s.observation), 12) || ' ' || left(md5(s.response), 12) ORDER BY s.index)
              FILTER (WHERE s.index IS NOT NULL), '{}') AS trajectory
       FROM episodes e LEFT JOIN steps s ON s.episode_id = e.id
      WHERE e.run_id = $1 GROUP BY e.id ORDER BY e.id`,
    [runId],
  );
  const metrics = await db.query(
    `SELECT m.evaluation_id, m.name, m.value, m.detail FROM metric_values m JOIN evaluations v ON v.id = m.evaluation_id
      WHERE v.run_id = $1 ORDER BY m.evaluation_id, m.name`,
    [runId],
  );
  const stepRows = await db.query('SELECT count(*)::int AS n FROM steps s JOIN episodes e ON e.id = s.episode_id WHERE e.run_id = $1', [runId]);

  const duplicatedEpisodes = await db.query(
    `SELECT COALESCE(evaluation_id, 'round-' || round) || ' ' || purpose || ' task ' || task_id || ' sample ' || sample || ' x' || count(*) AS what
       FROM episodes WHERE run_id = $1 GROUP BY evaluation_id, round, purpose, task_id, sample HAVING count(*) > 1`,
    [runId],
  );
  const duplicatedSteps = await db.query(
    `SELECT s.episode_id || ' #' || s.index || ' x' || count(*) AS what FROM steps s JOIN episodes e ON e.id = s.episode_id
      WHERE e.run_id = $1 GROUP BY s.episode_id, s.index HAVING count(*) > 1`,
    [runId],
  );
  // Steps are matched to the run by id prefix too, so steps whose episode row is gone are found.
  const orphanedSteps = await db.query(
    `SELECT s.episode_id || ' #' || s.index || ': ' || CASE
              WHEN e.id IS NULL THEN 'no episode row'
              WHEN e.status <> 'completed' THEN 'episode ' || e.status
              ELSE 'index beyond length ' || COALESCE(e.length::text, 'null') END AS what
       FROM steps s LEFT JOIN episodes e ON e.id = s.episode_id
      WHERE (e.run_id = $1 OR (e.id IS NULL AND s.episode_id LIKE $2))
        AND (e.id IS NULL OR e.status <> 'completed' OR e.length IS NULL OR s.index >= e.length)`,
    [runId, `${runId.replace(/[\\%_]/g, '\\$&')}/%`],
  );
  const missingSteps = await db.query(
    `SELECT e.id || ': ' || count(s.index) || ' steps, length ' || COALESCE(e.length::text, 'null') AS what
       FROM episodes e LEFT JOIN steps s ON s.episode_id = e.id
      WHERE e.run_id = $1 AND e.status = 'completed'
      GROUP BY e.id, e.length
     HAVING count(s.index) <> COALESCE(e.length, -1) OR COALESCE(max(s.index), -1) <> COALESCE(e.length, 0) - 1`,
    [runId],
  );
  const unfinished = await db.query(`SELECT id || ' ' || status AS what FROM episodes WHERE run_id = $1 AND status <> 'completed'`, [runId]);
  const whats = (result: { rows: unknown[] }) => result.rows.map((row) => z.object({ what: z.string() }).parse(row).what);

  return {
    runId,
    runStatus: z.object({ status: z.string() }).optional().parse(run.rows[0])?.status ?? null,
    episodes: episodes.rows.map((row) => episodeRowSchema.parse(row)),
    metrics: metrics.rows.map((row) => metricRowSchema.parse(row)),
    stepRows: z.object({ n: z.number() }).parse(stepRows.rows[0]).n,
    integrity: {
      duplicatedEpisodes: whats(duplicatedEpisodes),
      duplicatedSteps: whats(duplicatedSteps),
      orphanedSteps: whats(orphanedSteps),
      episodesWithMissingSteps: whats(missingSteps),
      unfinishedEpisodes: whats(unfinished),
    },
  };
}

export interface RunComparison {
  /** Episodes the reference run has and the disturbed run lacks (or did not complete). */
  lostEpisodes: string[];
  /** Episodes the disturbed run has and the reference run does not. */
  extraEpisodes: string[];
  /** Episodes present in both whose outcome (score, answer, length, invalid actions, early stop) differs. */
  differentOutcomes: string[];
  /** Episodes whose trajectories (step URLs and actions) differ. */
  differentTrajectories: string[];
  /** Metric values (evaluation, name, JSON path) that differ, with both values. */
  differentMetrics: string[];
  metricsCompared: number;
}

/** Compares a disturbed run with the undisturbed reference (same run id and spec, separate stacks). */
export function compareRuns(reference: RunSnapshot, disturbed: RunSnapshot): RunComparison {
  const disturbedById = new Map(disturbed.episodes.map((episode) => [episode.id, episode]));
  const referenceIds = new Set(reference.episodes.map((episode) => episode.id));
  const lostEpisodes: string[] = [];
  const differentOutcomes: string[] = [];
  const differentTrajectories: string[] = [];
  for (const expected of reference.episodes) {
    const actual = disturbedById.get(expected.id);
    if (!actual || actual.status !== 'completed') {
      lostEpisodes.push(`${expected.id}${actual ? ` (${actual.status})` : ''}`);
      continue;
    }
    for (const field of ['score', 'answer', 'length', 'invalid_action_count', 'early_stop_reason'] as const) {
      if (expected[field] !== actual[field]) differentOutcomes.push(`${expected.id} ${field}: ${JSON.stringify(expected[field])} vs ${JSON.stringify(actual[field])}`);
    }
    if (JSON.stringify(expected.trajectory) !== JSON.stringify(actual.trajectory)) differentTrajectories.push(expected.id);
  }
  const extraEpisodes = disturbed.episodes.filter((episode) => !referenceIds.has(episode.id)).map((episode) => episode.id);

  const differentMetrics: string[] = [];
  const key = (metric: MetricSnapshot) => `${metric.evaluation_id} ${metric.name}`;
  const disturbedMetrics = new Map(disturbed.metrics.map((metric) => [key(metric), metric]));
  for (const expected of reference.metrics) {
    const actual = disturbedMetrics.get(key(expected));
    if (!actual) {
      differentMetrics.push(`${key(expected)}: missing`);
      continue;
    }
    differentMetrics.push(...diffJson(`${key(expected)}`, { value: expected.value, detail: expected.detail }, { value: actual.value, detail: actual.detail }));
  }
  for (const extra of disturbed.metrics.filter((metric) => !reference.metrics.some((expected) => key(expected) === key(metric)))) differentMetrics.push(`${key(extra)}: not in the reference run`);
  return { lostEpisodes, extraEpisodes, differentOutcomes, differentTrajectories, differentMetrics, metricsCompared: reference.metrics.length };
}

/** Paths at which two JSON values differ (exact equality: same seeds must give the same numbers). */
export function diffJson(path: string, expected: unknown, actual: unknown): string[] {
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((child) => diffJson(`${path}.${child}`, (expected as Record<string, unknown>)[child], (actual as Record<string, unknown>)[child]));
  }
  return Object.is(expected, actual) ? [] : [`${path}: ${JSON.stringify(expected)} vs ${JSON.stringify(actual)}`];
}
