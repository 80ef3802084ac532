import { z } from 'zod';
import { evaluationMetricsSchema } from '../domain/evaluation-metrics';
import { evaluationComparisonSchema } from '../metrics/compare-evaluations';

/** One evaluation as the report shows it (report.json's `evaluations` entries). */
export const reportEvaluationSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  model: z.string(),
  round: z.number().int().nullable(),
  functionalCorrectness: z.number().nullable(),
  functionalCorrectnessCi: z.tuple([z.number(), z.number()]).nullable(),
  functionalCorrectnessNonTrivial: z.number().nullable(),
  capabilityScore: z.number().int(),
  capabilitiesGained: z.array(z.string()),
  capabilitiesLost: z.array(z.string()),
  /** What gained/lost are relative to (the base model's evaluation). */
  comparedWith: z.string().nullable(),
  vertexDtw: z.number().nullable(),
  vertexDtwNonTrivial: z.number().nullable(),
  vertexDtwPerTask: z.array(z.number()),
  avgTrajectoryLength: z.number().nullable(),
  invalidActionRate: z.number().nullable(),
  earlyStops: z.record(z.string(), z.number()),
  tokens: z.strictObject({ prompt: z.number(), completion: z.number(), perEpisode: z.number().nullable() }),
  episodes: z.number().int(),
  metrics: evaluationMetricsSchema.nullable(),
});
export type ReportEvaluation = z.infer<typeof reportEvaluationSchema>;

export const reportRoundSchema = z.strictObject({
  number: z.number().int(),
  status: z.string(),
  inputModel: z.string().nullable(),
  candidateModel: z.string().nullable(),
  promotion: z.unknown(),
  filterQuality: z.strictObject({
    precision: z.number().nullable(),
    recall: z.number().nullable(),
    f1: z.number().nullable(),
    keptCount: z.number(),
    total: z.number(),
  }).nullable(),
  steps: z.array(z.strictObject({ step: z.string(), status: z.string(), attempts: z.number(), error: z.string().nullable() })),
  trainingTokens: z.strictObject({ prompt: z.number(), completion: z.number() }),
});
export type ReportRound = z.infer<typeof reportRoundSchema>;

export const reportEpisodeSchema = z.strictObject({
  id: z.string(),
  evaluation: z.string().nullable(),
  round: z.number().nullable(),
  purpose: z.string(),
  taskId: z.number(),
  model: z.string(),
  score: z.number().nullable(),
  length: z.number().nullable(),
  answer: z.string().nullable(),
  earlyStopReason: z.string().nullable(),
  page: z.string(),
  trace: z.string().nullable(),
});
export type ReportEpisode = z.infer<typeof reportEpisodeSchema>;

/** An experiment (one shared rollout, one model per mixture): the base model and each mixture against it. */
export const reportExperimentSchema = z.strictObject({
  mixtures: z.array(z.string()),
  /** The base model's evaluation as stored (all its scored tasks). */
  base: z.strictObject({
    evaluation: z.string(),
    model: z.string(),
    functionalCorrectness: z.number().nullable(),
    functionalCorrectnessCi: z.tuple([z.number(), z.number()]).nullable(),
    capabilityScore: z.number().int(),
    capabilities: z.array(z.string()),
    vertexDtw: z.number().nullable(),
    avgTrajectoryLength: z.number().nullable(),
    invalidActionRate: z.number().nullable(),
  }).nullable(),
  /** One row per mixture; `comparison` is null until the experiment's compare step ran (or when a step was skipped). */
  rows: z.array(z.strictObject({
    mixture: z.string(),
    dataset: z.string().nullable(),
    /** Dataset examples (train + validation) per source. */
    composition: z.record(z.string(), z.number().int()),
    model: z.string().nullable(),
    evaluation: z.string().nullable(),
    skippedSteps: z.array(z.string()),
    comparison: evaluationComparisonSchema.nullable(),
  })),
});
export type ReportExperiment = z.infer<typeof reportExperimentSchema>;

/** Everything report.json holds; the HTML page shows the same numbers. */
export const reportDataSchema = z.strictObject({
  generatedAt: z.string(),
  run: z.strictObject({
    id: z.string(),
    status: z.string(),
    stopReason: z.string().nullable(),
    champion: z.string().nullable(),
    specName: z.string(),
    rounds: z.number().int(),
    mixture: z.string(),
  }),
  evaluations: z.array(reportEvaluationSchema),
  rounds: z.array(reportRoundSchema),
  episodes: z.array(reportEpisodeSchema),
  /** Present when the run is an experiment (`ratchet experiment`). */
  experiment: reportExperimentSchema.nullable().default(null),
});
export type ReportData = z.infer<typeof reportDataSchema>;
