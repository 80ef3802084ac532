import { z } from 'zod';

const ratio = z.number().min(0).max(1).nullable();

/** Everything measured for one evaluation (one model on one suite split), as stored and reported. */
export const evaluationMetricsSchema = z.strictObject({
  episodes: z.number().int().nonnegative(),
  scoredEpisodes: z.number().int().nonnegative(),
  /** Mean 0/1 task score (functional correctness) and its bootstrap confidence interval. */
  functionalCorrectness: ratio,
  functionalCorrectnessCi: z.tuple([z.number(), z.number()]).nullable(),
  /** The same without the tasks the always-N/A agent solves. */
  functionalCorrectnessNonTrivial: ratio,
  trivialTaskIds: z.array(z.number().int()),
  /** Number of capability groups with at least one solved task, and which. */
  capabilityScore: z.number().int().nonnegative(),
  capabilityGroups: z.number().int().nonnegative(),
  capabilities: z.array(z.string()),
  /** VERTEX_DTW aggregates (null when no task had a successful reference). */
  vertexDtw: z.number().nullable(),
  vertexDtwByCapability: z.number().nullable(),
  vertexDtwNonTrivial: z.number().nullable(),
  vertexDtwByCapabilityNonTrivial: z.number().nullable(),
  vertexDtwPerTask: z.array(z.strictObject({ taskId: z.number().int(), score: z.number() })),
  nDtw: z.number().nullable(),
  sDtw: z.number().nullable(),
  avgTrajectoryLength: z.number().nullable(),
  /** Invalid actions (unparsable + missing element) per action taken. */
  invalidActionRate: z.number().nullable(),
  invalidActions: z.strictObject({ unparsable: z.number().int(), missingElement: z.number().int() }),
  earlyStops: z.record(z.string(), z.number().int()),
  tokens: z.strictObject({ prompt: z.number().int(), completion: z.number().int(), perEpisode: z.number().nullable() }),
  taskScores: z.array(z.strictObject({ taskId: z.number().int(), capabilityId: z.string(), score: z.number().nullable() })),
});
export type EvaluationMetrics = z.infer<typeof evaluationMetricsSchema>;

/** Name of the metric_values row that holds the whole EvaluationMetrics object as its detail. */
export const EVALUATION_SUMMARY_METRIC = 'summary';
