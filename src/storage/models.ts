import { z } from 'zod';
import type { Queryable } from './database';

/** How to reach a registered model; `baseUrl: "local"` means the local model server of this stack. */
export const storedEndpointSchema = z.strictObject({
  baseUrl: z.string().min(1),
  apiKeyEnv: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
});
export type StoredEndpoint = z.infer<typeof storedEndpointSchema>;

const modelRowSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  provider: z.string(),
  provider_model: z.string(),
  endpoint: storedEndpointSchema,
  base_model_id: z.string().nullable(),
  parent_model_id: z.string().nullable(),
  dataset_id: z.string().nullable(),
  job_id: z.string().nullable(),
  round: z.number().nullable(),
  status: z.enum(['base', 'training', 'ready', 'failed']),
  is_champion: z.boolean(),
});
export type ModelRow = z.infer<typeof modelRowSchema>;

/** Registers a model (idempotent by id): a base model, a fine-tuned one with its lineage, or a built-in policy. */
export async function upsertModel(
  db: Queryable,
  model: {
    id: string; runId: string | null; provider: string; providerModel: string; endpoint: StoredEndpoint;
    baseModelId?: string | null; parentModelId?: string | null; datasetId?: string | null; jobId?: string | null; round?: number | null;
    status: ModelRow['status'];
  },
): Promise<void> {
  await db.query(
    `INSERT INTO models (id, run_id, provider, provider_model, endpoint, base_model_id, parent_model_id, dataset_id, job_id, round, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, job_id = COALESCE(EXCLUDED.job_id, models.job_id)`,
    [model.id, model.runId, model.provider, model.providerModel, JSON.stringify(model.endpoint), model.baseModelId ?? null,
      model.parentModelId ?? null, model.datasetId ?? null, model.jobId ?? null, model.round ?? null, model.status],
  );
}

/** The model with this id; throws naming it when it is not registered. */
export async function getModel(db: Queryable, modelId: string): Promise<ModelRow> {
  const result = await db.query('SELECT * FROM models WHERE id = $1', [modelId]);
  if (!result.rows[0]) throw new Error(`model ${modelId} is not in the model registry`);
  return modelRowSchema.parse(result.rows[0]);
}

/** Marks `modelId` as the champion (and no other model of that run). */
export async function setChampion(db: Queryable, runId: string, modelId: string): Promise<void> {
  await db.query('UPDATE models SET is_champion = (id = $2) WHERE run_id = $1 OR id = $2', [runId, modelId]);
}

/** The current champion of a run, if one was promoted. */
export async function findChampion(db: Queryable, runId?: string): Promise<ModelRow | undefined> {
  const result = runId
    ? await db.query('SELECT m.* FROM runs r JOIN models m ON m.id = r.champion_model_id WHERE r.id = $1', [runId])
    : await db.query(`SELECT m.* FROM runs r JOIN models m ON m.id = r.champion_model_id WHERE r.status = 'completed' ORDER BY r.updated_at DESC LIMIT 1`);
  return result.rows[0] ? modelRowSchema.parse(result.rows[0]) : undefined;
}

/** Stores what the fine-tuning provider reported for a model's job. */
export async function recordTrainingDetails(db: Queryable, modelId: string, details: { trainedTokens: number | null; events: unknown[] }): Promise<void> {
  await db.query('UPDATE models SET trained_tokens = $2, job_events = $3 WHERE id = $1', [modelId, details.trainedTokens, JSON.stringify(details.events)]);
}
