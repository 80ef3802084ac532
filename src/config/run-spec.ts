import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeJsonSyntaxError } from '../domain/json-syntax-error';
import { modelEndpointSchema } from '../llm/model-client';
import { describeIssues } from './describe-issues';

/** The word that means "Ratchet's embedded default" wherever an endpoint or site map is asked for. */
export const LOCAL = 'local' as const;

const endpointOrLocal = z.union([z.literal(LOCAL), modelEndpointSchema]);

const fineTuneSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('openai'),
    /** Where fine-tuning jobs are created; `local` is the local model server's fine-tuning API. */
    endpoint: endpointOrLocal.default(LOCAL),
    hyperparameters: z.strictObject({ n_epochs: z.number().int().min(1).max(50).optional() }).default({}),
    pollIntervalMs: z.number().int().min(100).default(2_000),
  }),
  z.strictObject({
    provider: z.literal('command'),
    /** argv; `{train}`, `{validation}`, `{baseModel}` and `{outputDir}` are substituted. */
    command: z.array(z.string().min(1)).min(1),
    /** The OpenAI-compatible endpoint that serves the trained model; `{outputDir}` is substituted. */
    servedAt: modelEndpointSchema.omit({ model: true }),
    /** Model name to call at `servedAt`; `{outputDir}` and `{jobId}` are substituted. */
    modelName: z.string().min(1),
    timeoutMs: z.number().int().positive().default(6 * 60 * 60 * 1000),
  }),
]);

/** One validated file describes a whole run: endpoints, sites, suite, mixture, rounds, budgets and gate. */
export const runSpecSchema = z.strictObject({
  name: z.string().min(1).max(80).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  seed: z.number().int().min(0).default(1),
  /** The agent being improved. */
  model: endpointOrLocal.default(LOCAL),
  /** Model used for OOD generation and the optional LLM critic; defaults to the current agent model. */
  generator: endpointOrLocal.optional(),
  /** Model used by the evaluator's fuzzy and N/A judge. */
  judge: endpointOrLocal.default(LOCAL),
  /** Embeddings for VERTEX_DTW, OOD de-duplication and capability merging. */
  embeddings: endpointOrLocal.default(LOCAL),
  /** Placeholder -> base URL (e.g. "__SHOPPING__": "http://10.0.0.5:7770"), or the built-in sites. */
  sites: z.union([z.literal(LOCAL), z.record(z.string().regex(/^__[A-Z_]+__$/, 'a site placeholder such as __SHOPPING__'), z.string().url('not a URL (expected e.g. http://10.0.0.5:7770)'))]).default(LOCAL),
  suite: z.strictObject({
    /** A WebArena-format file or folder; `builtin` is Ratchet's own suite. */
    path: z.string().min(1).default('builtin'),
    /** Use the evaluation tasks themselves as the training pool (the paper's transductive mode). */
    transductive: z.boolean().default(false),
    /** Evaluate on at most this many tasks per split (seeded sample), for quick runs. */
    taskLimit: z.number().int().positive().optional(),
  }).default({ path: 'builtin', transductive: false }),
  rounds: z.number().int().min(1).max(20).default(2),
  rollout: z.strictObject({
    samplesPerTask: z.number().int().min(1).max(16).default(1),
    temperature: z.number().min(0).max(2).default(0),
    maxSteps: z.number().int().min(1).max(100).default(30),
    /** Concurrent episodes per rollout (browser contexts across the browser workers). */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** Fraction of episodes that may fail (worker/environment errors) before the batch fails. */
    failureBudget: z.number().min(0).max(1).default(0.1),
    /**
     * Observation element ids: `tree-position` (the same page gets the same ids in any browser process,
     * so a resumed run sees the prompts it would have seen) or `chromium` (the browser's accessibility
     * node ids, as WebArena's harness prints them).
     */
    elementIds: z.enum(['tree-position', 'chromium']).default('tree-position'),
  }).default({ samplesPerTask: 1, temperature: 0, maxSteps: 30, concurrency: 2, failureBudget: 0.1, elementIds: 'tree-position' }),
  ood: z.strictObject({
    enabled: z.boolean().default(true),
    /** How many synthetic examples to generate per round (0 = as many as the in-domain examples). */
    count: z.number().int().min(0).default(0),
    grounded: z.boolean().default(false),
    maxAttemptsPerCall: z.number().int().min(1).max(20).default(5),
  }).default({ enabled: true, count: 0, grounded: false, maxAttemptsPerCall: 5 }),
  critique: z.strictObject({ llmJudge: z.boolean().default(false) }).default({ llmJudge: false }),
  mixture: z.strictObject({
    preset: z.enum(['A', 'B', 'C']).default('B'),
    validationFraction: z.number().min(0).max(0.5).default(0.1),
    /**
     * The paper's first/intermediate/last balancing (#first = #last = m = min of the three). With only
     * 1-2 step trajectories m is 0 and nothing is left, so short-trajectory suites may turn it off.
     */
    balance: z.boolean().default(true),
  }).default({ preset: 'B', validationFraction: 0.1, balance: true }),
  finetune: z.strictObject({
    /** Round 2+ fine-tunes the base checkpoint again (the paper) or continues from the previous model. */
    from: z.enum(['base', 'previous']).default('base'),
    provider: fineTuneSchema.default({ provider: 'openai', endpoint: LOCAL, hyperparameters: {}, pollIntervalMs: 2_000 }),
  }).default({ from: 'base', provider: { provider: 'openai', endpoint: LOCAL, hyperparameters: {}, pollIntervalMs: 2_000 } }),
  gate: z.strictObject({
    /** Promote when the gain in functional correctness over the champion (paired, on shared tasks) is above this; its bootstrap CI is recorded with the decision. */
    minGain: z.number().min(-1).max(1).default(0),
    confidence: z.number().min(0.5).max(0.999).default(0.9),
    maxCapabilitiesLost: z.number().int().min(0).optional(),
    /** End the run when a round's gain in functional correctness is below this (diminishing returns). */
    stopWhenGainBelow: z.number().min(-1).max(1).optional(),
    bootstrapSamples: z.number().int().min(100).max(100_000).default(2_000),
  }).default({ minGain: 0, confidence: 0.9, bootstrapSamples: 2_000 }),
});
export type RunSpec = z.infer<typeof runSpecSchema>;

/** A run-spec file that does not validate; `problems` name each key and what is wrong. */
export class RunSpecError extends Error {
  override readonly name = 'RunSpecError';
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: invalid run spec:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Validates a parsed run spec; `source` names where it came from in errors. */
export function parseRunSpec(value: unknown, source: string): RunSpec {
  const parsed = runSpecSchema.safeParse(value);
  if (!parsed.success) {
    throw new RunSpecError(source, describeIssues(parsed.error.issues));
  }
  return parsed.data;
}

/** Reads and validates a JSON run-spec file. */
export function loadRunSpec(file: string): RunSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunSpecError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunSpecError(file, [describeJsonSyntaxError(text, error)]);
  }
  return parseRunSpec(value, file);
}
