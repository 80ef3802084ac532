import { z } from 'zod';
import { evaluationMetricsSchema } from '../domain/evaluation-metrics';

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
});
export type ReportData = z.infer<typeof reportDataSchema>;
