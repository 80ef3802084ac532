import { z } from 'zod';
import type { Queryable } from './database';

const runRowSchema = z.object({
  id: z.string(),
  spec: z.unknown(),
  spec_hash: z.string(),
  git_revision: z.string().nullable(),
  status: z.enum(['running', 'completed', 'aborted', 'failed']),
  champion_model_id: z.string().nullable(),
  stop_reason: z.string().nullable(),
  created_at: z.date(),
});
export type RunRow = z.infer<typeof runRowSchema>;

/** Inserts a run once; a second call with the same id and spec is a no-op, a different spec is an error. */
export async function insertRun(db: Queryable, run: { id: string; spec: unknown; specHash: string; gitRevision: string | null }): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO runs (id, spec, spec_hash, git_revision) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [run.id, JSON.stringify(run.spec), run.specHash, run.gitRevision],
  );
  if (inserted.rowCount === 0) {
    const existing = await getRun(db, run.id);
    if (existing && existing.spec_hash !== run.specHash) {
      throw new Error(`run ${run.id} already exists with a different spec (hash ${existing.spec_hash}); choose another run id`);
    }
  }
}

/** The run with this id, or undefined. */
export async function getRun(db: Queryable, runId: string): Promise<RunRow | undefined> {
  const result = await db.query('SELECT * FROM runs WHERE id = $1', [runId]);
  return result.rows[0] ? runRowSchema.parse(result.rows[0]) : undefined;
}

/** All runs, newest first. */
export async function listRuns(db: Queryable, limit = 50): Promise<RunRow[]> {
  const result = await db.query('SELECT * FROM runs ORDER BY created_at DESC LIMIT $1', [limit]);
  return result.rows.map((row) => runRowSchema.parse(row));
}

/** Records how a run ended. */
export async function finishRun(db: Queryable, update: { runId: string; status: RunRow['status']; championModelId: string; stopReason: string }): Promise<void> {
  await db.query(
    `UPDATE runs SET status = $2, champion_model_id = $3, stop_reason = $4, updated_at = now() WHERE id = $1`,
    [update.runId, update.status, update.championModelId, update.stopReason],
  );
}

/** Upserts a round row (idempotent). */
export async function upsertRound(
  db: Queryable,
  round: { runId: string; number: number; inputModelId: string; configHash: string; seed: number; gitRevision: string | null },
): Promise<void> {
  const id = `${round.runId}/round-${round.number}`;
  const parent = round.number > 1 ? `${round.runId}/round-${round.number - 1}` : null;
  await db.query(
    `INSERT INTO rounds (id, run_id, number, parent_round_id, input_model_id, config_hash, seed, git_revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET input_model_id = EXCLUDED.input_model_id`,
    [id, round.runId, round.number, parent, round.inputModelId, round.configHash, round.seed, round.gitRevision],
  );
}

/** Records the round's outcome: its candidate model and the gate's decision. */
export async function completeRound(db: Queryable, update: { runId: string; number: number; outputModelId: string | null; promotion: unknown }): Promise<void> {
  await db.query(
    `UPDATE rounds SET status = 'completed', output_model_id = $3, promotion = $4, finished_at = now() WHERE run_id = $1 AND number = $2`,
    [update.runId, update.number, update.outputModelId, JSON.stringify(update.promotion)],
  );
}

const stepStateRowSchema = z.object({
  workflow_id: z.string(),
  step: z.string(),
  run_id: z.string(),
  round: z.number(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  summary: z.unknown(),
  updated_at: z.date(),
});
export type StepStateRow = z.infer<typeof stepStateRowSchema>;

/** Upserts the state of one workflow step as operators see it. */
export async function recordStepState(
  db: Queryable,
  state: { workflowId: string; step: string; runId: string; round: number; status: string; attempts: number; error?: string; summary?: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO step_states (workflow_id, step, run_id, round, status, attempts, error, summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (workflow_id, step) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
       error = EXCLUDED.error, summary = COALESCE(EXCLUDED.summary, step_states.summary), updated_at = now()`,
    [state.workflowId, state.step, state.runId, state.round, state.status, state.attempts, state.error ?? null, state.summary === undefined ? null : JSON.stringify(state.summary)],
  );
}

/** Step states of a run in the order they were last updated. */
export async function listStepStates(db: Queryable, runId: string): Promise<StepStateRow[]> {
  const result = await db.query('SELECT * FROM step_states WHERE run_id = $1 ORDER BY round, updated_at', [runId]);
  return result.rows.map((row) => stepStateRowSchema.parse(row));
}
