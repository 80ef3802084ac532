import { z } from 'zod';
import { describeIssues } from '../config/describe-issues';
import { stepPositionSchema } from './training-example';

const sourceIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscore, starting with a letter');

/** How many examples a source contributes. */
export const sourceSizeSchema = z.union([
  /** Every example the source has after filters, de-duplication and balancing. */
  z.strictObject({ all: z.literal(true) }),
  /** Exactly this many (a seeded sample). */
  z.strictObject({ count: z.number().int().nonnegative() }),
  /** round(ratio x the number of examples the named source selected). */
  z.strictObject({ ratio: z.number().nonnegative(), of: sourceIdSchema }),
]);
export type SourceSize = z.infer<typeof sourceSizeSchema>;

const commonSourceFields = {
  id: sourceIdSchema,
  size: sourceSizeSchema,
  /** false: the source is only a yardstick for others' ratios and adds no examples (preset C). */
  include: z.boolean().default(true),
  /** When fewer examples exist than the size asks for: fail, or take what there is and report it. */
  shortfall: z.enum(['error', 'use_available']).default('error'),
};

/** Kept in-domain trajectories turned into step examples. */
const inDomainSourceSchema = z.strictObject({
  ...commonSourceFields,
  kind: z.literal('in_domain'),
  /** `current`: this round's rollouts; `earlier`: replay of previous rounds; `all`: both. Pooled newest-per-task. */
  rounds: z.enum(['current', 'earlier', 'all']).default('all'),
  filters: z.strictObject({
    intentTemplateIds: z.array(z.number().int()).optional(),
    excludeIntentTemplateIds: z.array(z.number().int()).optional(),
    minTrajectorySteps: z.number().int().positive().optional(),
    maxTrajectorySteps: z.number().int().positive().optional(),
    maxResponseChars: z.number().int().positive().optional(),
  }).default({}),
});

/** Synthetic out-of-domain examples, plain or grounded (rendered and executed). */
const syntheticSourceSchema = z.strictObject({
  ...commonSourceFields,
  kind: z.enum(['ood', 'grounded_ood']),
  filters: z.strictObject({
    maxResponseChars: z.number().int().positive().optional(),
    /** Keep only examples whose provenance has these exact values (e.g. `{ "verified": true }`). */
    provenance: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }).default({}),
});

export const mixtureSourceSchema = z.discriminatedUnion('kind', [inDomainSourceSchema, syntheticSourceSchema]);
export type MixtureSource = z.infer<typeof mixtureSourceSchema>;

/** A declarative training mixture: which sources, how many of each, filters, de-duplication, split, seed. */
export const mixtureSpecSchema = z.strictObject({
  name: z.string().min(1).max(80).optional(),
  seed: z.number().int(),
  sources: z.array(mixtureSourceSchema).min(1),
  /** Drop examples whose normalised prompt + response hash was already seen (earlier sources win). */
  dedup: z.boolean().default(true),
  /** Which steps of each kept trajectory become examples, and whether METHOD.md's balancing applies. */
  steps: z.strictObject({
    positions: z.array(stepPositionSchema).min(1).default(['first', 'intermediate', 'last']),
    balance: z.boolean().default(true),
  }).default({ positions: ['first', 'intermediate', 'last'], balance: true }),
  split: z.strictObject({
    validationFraction: z.number().min(0).max(0.5).default(0.1),
  }).default({ validationFraction: 0.1 }),
}).superRefine((spec, context) => {
  const ids = spec.sources.map((source) => source.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) context.addIssue({ code: 'custom', path: ['sources', index, 'id'], message: `duplicate source id "${id}"` });
  });
  spec.sources.forEach((source, index) => {
    if ('of' in source.size && !ids.includes(source.size.of)) {
      context.addIssue({ code: 'custom', path: ['sources', index, 'size', 'of'], message: `no source with id "${source.size.of}"` });
    }
  });
  const cycle = findRatioCycle(spec.sources);
  if (cycle) context.addIssue({ code: 'custom', path: ['sources'], message: `ratio sizes refer to each other in a cycle: ${cycle.join(' -> ')}` });
  if (!spec.sources.some((source) => source.include)) context.addIssue({ code: 'custom', path: ['sources'], message: 'no source is included' });
  const positions = spec.steps.positions;
  if (new Set(positions).size !== positions.length) context.addIssue({ code: 'custom', path: ['steps', 'positions'], message: 'a position is listed twice' });
});
export type MixtureSpec = z.infer<typeof mixtureSpecSchema>;
/** A spec as written in a file: defaults may be left out. */
export type MixtureSpecInput = z.input<typeof mixtureSpecSchema>;

/** The ids on a ratio cycle (e.g. a -> b -> a), or null when sizes can be resolved in some order. */
function findRatioCycle(sources: ReadonlyArray<{ id: string; size: SourceSize }>): string[] | null {
  const refersTo = new Map(sources.map((source) => [source.id, 'of' in source.size ? source.size.of : null]));
  for (const start of refersTo.keys()) {
    const path = [start];
    let next = refersTo.get(start) ?? null;
    while (next !== null && refersTo.has(next)) {
      path.push(next);
      if (next === start) return path;
      if (path.length > refersTo.size + 1) break;
      next = refersTo.get(next) ?? null;
    }
  }
  return null;
}

/** A mixture spec that does not validate; `problems` name each key and what is wrong. */
export class MixtureSpecError extends Error {
  override readonly name = 'MixtureSpecError';
  constructor(readonly source: string, readonly problems: string[]) {
    super(`${source}: invalid mixture spec:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Validates a mixture spec; `source` names where it came from in errors. */
export function parseMixtureSpec(value: unknown, source = 'mixture spec'): MixtureSpec {
  const parsed = mixtureSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new MixtureSpecError(source, describeIssues(parsed.error.issues));
  }
  return parsed.data;
}
