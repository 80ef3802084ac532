import { z } from 'zod';
import { evaluationComparisonSchema, type EvaluationComparison } from '../metrics/compare-evaluations';
import type { Queryable } from './database';

const mixtureSchema = z.enum(['A', 'B', 'C']);

/** Marks a run as an experiment over these mixtures (idempotent; the same run id keeps its mixtures). */
export async function insertExperiment(db: Queryable, experiment: { runId: string; mixtures: string[] }): Promise<void> {
  const inserted = await db.query(
    'INSERT INTO experiments (run_id, mixtures) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING RETURNING run_id',
    [experiment.runId, experiment.mixtures],
  );
  if (inserted.rowCount === 0) {
    const existing = await getExperiment(db, experiment.runId);
    if (existing && existing.mixtures.join(',') !== experiment.mixtures.join(',')) {
      throw new Error(`experiment ${experiment.runId} already exists with mixtures ${existing.mixtures.join(',')}; choose another run id`);
    }
  }
}

const experimentRowSchema = z.object({ run_id: z.string(), mixtures: z.array(mixtureSchema), created_at: z.date() });
export type ExperimentRow = z.infer<typeof experimentRowSchema>;

/** The experiment of this run, or undefined when the run is not one. */
export async function getExperiment(db: Queryable, runId: string): Promise<ExperimentRow | undefined> {
  const result = await db.query('SELECT * FROM experiments WHERE run_id = $1', [runId]);
  return result.rows[0] ? experimentRowSchema.parse(result.rows[0]) : undefined;
}

/** Stores one mixture's outcome and its comparison with the base model (upsert). */
export async function upsertExperimentMixture(db: Queryable, row: {
  runId: string; mixture: string; datasetId: string | null; modelId: string | null; evaluationId: string | null;
  skippedSteps: string[]; comparison: EvaluationComparison | null;
}): Promise<void> {
  await db.query(
    `INSERT INTO experiment_mixtures (run_id, mixture, dataset_id, model_id, evaluation_id, skipped_steps, comparison)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (run_id, mixture) DO UPDATE SET dataset_id = EXCLUDED.dataset_id, model_id = EXCLUDED.model_id,
       evaluation_id = EXCLUDED.evaluation_id, skipped_steps = EXCLUDED.skipped_steps, comparison = EXCLUDED.comparison, updated_at = now()`,
    [row.runId, row.mixture, row.datasetId, row.modelId, row.evaluationId, row.skippedSteps, row.comparison === null ? null : JSON.stringify(row.comparison)],
  );
}

const experimentMixtureRowSchema = z.object({
  mixture: mixtureSchema,
  dataset_id: z.string().nullable(),
  model_id: z.string().nullable(),
  evaluation_id: z.string().nullable(),
  skipped_steps: z.array(z.string()),
  comparison: evaluationComparisonSchema.nullable(),
  /** Examples of the dataset (train and validation) per source, e.g. { in_domain: 8, ood: 8 }. */
  composition: z.record(z.string(), z.number().int()),
});
export type ExperimentMixtureRow = z.infer<typeof experimentMixtureRowSchema>;

/** An experiment's mixtures with their dataset's composition (examples per source), in mixture order. */
export async function listExperimentMixtures(db: Queryable, runId: string): Promise<ExperimentMixtureRow[]> {
  const result = await db.query(
    `SELECT m.mixture, m.dataset_id, m.model_id, m.evaluation_id, m.skipped_steps, m.comparison,
       (SELECT COALESCE(jsonb_object_agg(s.source, s.n), '{}'::jsonb)
        FROM (SELECT source, count(*)::int AS n FROM dataset_examples e WHERE e.dataset_id = m.dataset_id GROUP BY source) s) AS composition
     FROM experiment_mixtures m WHERE m.run_id = $1 ORDER BY m.mixture`,
    [runId],
  );
  return result.rows.map((row) => experimentMixtureRowSchema.parse(row));
}

/** Records how an experiment ended (an experiment promotes no champion). */
export async function finishExperimentRun(db: Queryable, update: { runId: string; status: 'completed' | 'aborted'; stopReason: string }): Promise<void> {
  await db.query(`UPDATE runs SET status = $2, stop_reason = $3, updated_at = now() WHERE id = $1`, [update.runId, update.status, update.stopReason]);
}
