import { z } from 'zod';
import { chatMessageSchema } from '../domain/trajectory';
import type { Queryable } from './database';

const syntheticRowSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  round: z.number(),
  kind: z.enum(['ood', 'grounded_ood']),
  messages: z.array(chatMessageSchema),
  response: z.string(),
  provenance: z.record(z.string(), z.unknown()),
});
export type SyntheticRow = z.infer<typeof syntheticRowSchema>;

/** Stores one synthetic example (idempotent by id). */
export async function upsertSyntheticExample(db: Queryable, example: { id: string; runId: string; round: number; kind: 'ood' | 'grounded_ood'; messages: unknown; response: string; provenance: unknown }): Promise<void> {
  await db.query(
    `INSERT INTO synthetic_examples (id, run_id, round, kind, messages, response, provenance) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [example.id, example.runId, example.round, example.kind, JSON.stringify(example.messages), example.response, JSON.stringify(example.provenance)],
  );
}

/** Synthetic examples of a run up to a round (all rounds when omitted), oldest first. */
export async function listSyntheticExamples(db: Queryable, runId: string, options: { round?: number; upToRound?: number } = {}): Promise<SyntheticRow[]> {
  const result = await db.query(
    `SELECT * FROM synthetic_examples WHERE run_id = $1 AND ($2::int IS NULL OR round = $2) AND ($3::int IS NULL OR round <= $3)
     ORDER BY round, created_at, id`,
    [runId, options.round ?? null, options.upToRound ?? null],
  );
  return result.rows.map((row) => syntheticRowSchema.parse(row));
}
