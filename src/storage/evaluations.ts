import { z } from 'zod';
import type { Queryable } from './database';

/** Registers an evaluation (idempotent by id). */
export async function createEvaluationRow(
  db: Queryable,
  evaluation: { evaluationId: string; runId: string | null; round: number | null; modelId: string; suiteId: string; split: string; label: string },
): Promise<void> {
  await db.query(
    `INSERT INTO evaluations (id, run_id, round, model_id, suite_id, split, label) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [evaluation.evaluationId, evaluation.runId, evaluation.round, evaluation.modelId, evaluation.suiteId, evaluation.split, evaluation.label],
  );
}

const evaluationRowSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  round: z.number().nullable(),
  model_id: z.string(),
  suite_id: z.string(),
  split: z.string(),
  label: z.string(),
  status: z.string(),
  created_at: z.date(),
  finished_at: z.date().nullable(),
});
export type EvaluationRow = z.infer<typeof evaluationRowSchema>;

/** One evaluation; throws naming it when missing. */
export async function getEvaluation(db: Queryable, evaluationId: string): Promise<EvaluationRow> {
  const result = await db.query('SELECT * FROM evaluations WHERE id = $1', [evaluationId]);
  if (!result.rows[0]) throw new Error(`evaluation ${evaluationId} is not in the database`);
  return evaluationRowSchema.parse(result.rows[0]);
}

/** Evaluations of a run (or every evaluation of a model), oldest first. */
export async function listEvaluations(db: Queryable, filter: { runId?: string; modelId?: string }): Promise<EvaluationRow[]> {
  const result = await db.query(
    `SELECT * FROM evaluations WHERE ($1::text IS NULL OR run_id = $1) AND ($2::text IS NULL OR model_id = $2) ORDER BY created_at`,
    [filter.runId ?? null, filter.modelId ?? null],
  );
  return result.rows.map((row) => evaluationRowSchema.parse(row));
}

/** Stores an evaluation's metric values (replacing earlier ones of the same names) and marks it completed. */
export async function storeMetricValues(db: Queryable, evaluationId: string, values: Array<{ name: string; value: number | null; detail?: unknown }>): Promise<void> {
  await db.query(
    `INSERT INTO metric_values (evaluation_id, name, value, detail)
     SELECT $1, m.name, m.value, m.detail FROM jsonb_to_recordset($2::jsonb) AS m(name text, value double precision, detail jsonb)
     ON CONFLICT (evaluation_id, name) DO UPDATE SET value = EXCLUDED.value, detail = EXCLUDED.detail`,
    [evaluationId, JSON.stringify(values.map((entry) => ({ name: entry.name, value: entry.value, detail: entry.detail ?? null })))],
  );
  await db.query(`UPDATE evaluations SET status = 'completed', finished_at = now() WHERE id = $1`, [evaluationId]);
}

/** An evaluation's metric values by name. */
export async function getMetricValues(db: Queryable, evaluationId: string): Promise<Map<string, { value: number | null; detail: unknown }>> {
  const result = await db.query('SELECT name, value, detail FROM metric_values WHERE evaluation_id = $1', [evaluationId]);
  return new Map(result.rows.map((row: { name: string; value: number | null; detail: unknown }) => [row.name, { value: row.value, detail: row.detail }]));
}
