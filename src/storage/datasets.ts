import { z } from 'zod';
import { chatMessageSchema } from '../domain/trajectory';
import type { Queryable } from './database';

/** One fine-tuning example as stored: the prompt messages and the target assistant response. */
export const storedExampleSchema = z.object({
  messages: z.array(chatMessageSchema).min(1),
  response: z.string(),
});
export type StoredExample = z.infer<typeof storedExampleSchema>;

/**
 * Stores a dataset once (its id is derived from its content hash by the caller); re-storing the
 * same id is a no-op, so a retried mix step writes nothing twice.
 */
export async function storeDataset(
  db: Queryable,
  dataset: { id: string; runId: string | null; round: number | null; spec: unknown; contentHash: string; counts: unknown; train: Array<StoredExample & { source: string }>; validation: Array<StoredExample & { source: string }> },
): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO datasets (id, run_id, round, spec, content_hash, counts) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [dataset.id, dataset.runId, dataset.round, JSON.stringify(dataset.spec), dataset.contentHash, JSON.stringify(dataset.counts)],
  );
  if (inserted.rowCount === 0) return;
  for (const [split, examples] of [['train', dataset.train], ['validation', dataset.validation]] as const) {
    for (let start = 0; start < examples.length; start += 200) {
      const chunk = examples.slice(start, start + 200).map((example, offset) => ({
        position: start + offset,
        source: example.source,
        example: { messages: example.messages, response: example.response },
      }));
      await db.query(
        `INSERT INTO dataset_examples (dataset_id, split, position, source, example)
         SELECT $1, $2, e.position, e.source, e.example FROM jsonb_to_recordset($3::jsonb) AS e(position int, source text, example jsonb)
         ON CONFLICT DO NOTHING`,
        [dataset.id, split, JSON.stringify(chunk)],
      );
    }
  }
}

/** The examples of one split of a dataset, in order, validated on the way out. */
export async function listDatasetExamples(db: Queryable, datasetId: string, split: 'train' | 'validation'): Promise<Array<StoredExample & { source: string }>> {
  const result = await db.query('SELECT source, example FROM dataset_examples WHERE dataset_id = $1 AND split = $2 ORDER BY position', [datasetId, split]);
  return result.rows.map((row: { source: string; example: unknown }) => ({ ...storedExampleSchema.parse(row.example), source: row.source }));
}

const datasetRowSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  round: z.number().nullable(),
  spec: z.unknown(),
  content_hash: z.string(),
  counts: z.unknown(),
  provider_files: z.record(z.string(), z.string()),
});
export type DatasetRow = z.infer<typeof datasetRowSchema>;

/** One dataset; throws naming it when missing. */
export async function getDataset(db: Queryable, datasetId: string): Promise<DatasetRow> {
  const result = await db.query('SELECT * FROM datasets WHERE id = $1', [datasetId]);
  if (!result.rows[0]) throw new Error(`dataset ${datasetId} is not in the database (see 'npx ratchet status')`);
  return datasetRowSchema.parse(result.rows[0]);
}

/** Remembers which provider file holds which split, so a retried launch does not upload twice. */
export async function recordProviderFile(db: Queryable, datasetId: string, key: string, fileId: string): Promise<void> {
  await db.query(`UPDATE datasets SET provider_files = provider_files || jsonb_build_object($2::text, $3::text) WHERE id = $1`, [datasetId, key, fileId]);
}
