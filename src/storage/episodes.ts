import { z } from 'zod';
import { stepRecordSchema, type EpisodeOutcome, type StepRecord } from '../domain/trajectory';
import type { Queryable } from './database';

export interface EpisodeKey {
  id: string;
  runId: string | null;
  round: number | null;
  evaluationId: string | null;
  purpose: string;
  suiteId: string;
  taskId: number;
  modelId: string;
  sample: number;
}

/**
 * Starts (or restarts) an episode: a retried attempt deletes the steps of the attempt that died, so
 * the episode is run again cleanly and no step is ever duplicated.
 */
export async function beginEpisode(db: Queryable, key: EpisodeKey, attempt: number): Promise<void> {
  await db.query(
    `INSERT INTO episodes (id, run_id, round, evaluation_id, purpose, suite_id, task_id, model_id, sample, status, attempt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', $10)
     ON CONFLICT (id) DO UPDATE SET status = 'running', attempt = EXCLUDED.attempt, score = NULL, answer = NULL,
       error = NULL, finished_at = NULL`,
    [key.id, key.runId, key.round, key.evaluationId, key.purpose, key.suiteId, key.taskId, key.modelId, key.sample, attempt],
  );
  await db.query('DELETE FROM steps WHERE episode_id = $1', [key.id]);
}

/** The stored outcome of a finished episode, if it already finished (a retried activity returns it as is). */
export async function findFinishedEpisode(db: Queryable, episodeId: string): Promise<{ score: number | null; status: string } | undefined> {
  const result = await db.query(`SELECT score, status FROM episodes WHERE id = $1 AND status = 'completed'`, [episodeId]);
  const row = result.rows[0] as { score: number | null; status: string } | undefined;
  return row;
}

/** Appends one step (idempotent by episode and index). */
export async function insertStep(db: Queryable, episodeId: string, step: StepRecord): Promise<void> {
  await db.query(
    `INSERT INTO steps (episode_id, index, url, observation, objective, previous_action, prompt_messages, response, action,
       action_text, action_description, valid, invalid_kind, error, prompt_tokens, completion_tokens, timings)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (episode_id, index) DO NOTHING`,
    [episodeId, step.index, step.url, step.observation, step.objective, step.previousAction, JSON.stringify(step.promptMessages),
      step.response, step.action === null ? null : JSON.stringify(step.action), step.actionText, step.actionDescription, step.valid,
      step.invalidKind, step.error, step.promptTokens, step.completionTokens, JSON.stringify(step.timings)],
  );
}

/** Stores how an episode ended, with its score and the evaluator version. */
export async function completeEpisode(db: Queryable, episodeId: string, outcome: EpisodeOutcome, tracePath: string | null): Promise<void> {
  await db.query(
    `UPDATE episodes SET status = 'completed', score = $2, answer = $3, final_response = $4, final_url = $5, length = $6,
       invalid_action_count = $7, early_stop_reason = $8, environment_error = $9, prompt_tokens = $10, completion_tokens = $11,
       trace_path = $12, evaluator_version = $13, evaluator_details = $14, finished_at = now()
     WHERE id = $1`,
    [episodeId, outcome.score, outcome.answer, outcome.finalResponse, outcome.finalUrl, outcome.length, outcome.invalidActionCount,
      outcome.earlyStopReason, outcome.environmentError, outcome.promptTokens, outcome.completionTokens, tracePath,
      outcome.evaluatorVersion, JSON.stringify(outcome.evaluatorDetails)],
  );
}

/** Records that an attempt failed with an error (the activity will be retried or the episode given up). */
export async function failEpisode(db: Queryable, episodeId: string, error: string): Promise<void> {
  await db.query(`UPDATE episodes SET status = 'failed', error = $2 WHERE id = $1`, [episodeId, error]);
}

const episodeRowSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  round: z.number().nullable(),
  evaluation_id: z.string().nullable(),
  purpose: z.string(),
  suite_id: z.string(),
  task_id: z.number(),
  model_id: z.string(),
  sample: z.number(),
  status: z.string(),
  score: z.number().nullable(),
  answer: z.string().nullable(),
  final_response: z.string().nullable(),
  final_url: z.string().nullable(),
  length: z.number().nullable(),
  invalid_action_count: z.number().nullable(),
  early_stop_reason: z.string().nullable(),
  environment_error: z.string().nullable(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  trace_path: z.string().nullable(),
  evaluator_version: z.string().nullable(),
  evaluator_details: z.unknown(),
});
export type EpisodeRow = z.infer<typeof episodeRowSchema>;

/** Episodes matching the filter, in id order. */
export async function listEpisodes(db: Queryable, filter: { runId?: string; round?: number; purpose?: string; evaluationId?: string }): Promise<EpisodeRow[]> {
  const result = await db.query(
    `SELECT * FROM episodes WHERE ($1::text IS NULL OR run_id = $1) AND ($2::int IS NULL OR round = $2)
       AND ($3::text IS NULL OR purpose = $3) AND ($4::text IS NULL OR evaluation_id = $4) ORDER BY id`,
    [filter.runId ?? null, filter.round ?? null, filter.purpose ?? null, filter.evaluationId ?? null],
  );
  return result.rows.map((row) => episodeRowSchema.parse(row));
}

/** The steps of an episode in order, validated on the way out. */
export async function listSteps(db: Queryable, episodeId: string): Promise<StepRecord[]> {
  const result = await db.query('SELECT * FROM steps WHERE episode_id = $1 ORDER BY index', [episodeId]);
  return result.rows.map((row: Record<string, unknown>) => stepRecordSchema.parse({
    index: row.index,
    url: row.url,
    observation: row.observation,
    objective: row.objective,
    previousAction: row.previous_action,
    promptMessages: row.prompt_messages,
    response: row.response,
    action: row.action,
    actionText: row.action_text,
    actionDescription: row.action_description,
    valid: row.valid,
    invalidKind: row.invalid_kind,
    error: row.error,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    timings: row.timings,
  }));
}
