import { z } from 'zod';
import { embeddingSequenceFromRows } from './embedding-sequence';
import type { VertexDtwJob } from './vertex-dtw';

const embeddingRowsSchema = z.array(z.array(z.number()).min(1, 'an embedding needs at least one value')).min(1, 'needs at least one step');

/** The `ratchet metrics vertex-dtw --input FILE` document: one embedding per step. */
export const vertexDtwInputSchema = z
  .strictObject({
    reference: embeddingRowsSchema,
    test: embeddingRowsSchema,
    baseline: embeddingRowsSchema.optional(),
  })
  .superRefine((input, context) => {
    const dims = input.reference[0]?.length;
    for (const field of ['reference', 'test', 'baseline'] as const) {
      input[field]?.forEach((row, index) => {
        if (row.length !== dims) {
          context.addIssue({
            code: 'custom',
            path: [field, index],
            message: `has ${row.length} values but reference[0] has ${dims}: every embedding must have the same width`,
          });
        }
      });
    }
  });
export type VertexDtwInput = z.infer<typeof vertexDtwInputSchema>;

/** Parses the document (`source` names it in errors) into a job for computeVertexDtw. */
export function parseVertexDtwInput(value: unknown, source: string): VertexDtwJob {
  const parsed = vertexDtwInputSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new Error(`${source}: ${problems.join('; ')}${more}`);
  }
  return {
    reference: embeddingSequenceFromRows(parsed.data.reference, 'reference'),
    test: embeddingSequenceFromRows(parsed.data.test, 'test'),
    baseline: parsed.data.baseline ? embeddingSequenceFromRows(parsed.data.baseline, 'baseline') : null,
  };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(document)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`)).join('');
}
