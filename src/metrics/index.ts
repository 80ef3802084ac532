// Evaluation metrics: pure functions on plain inputs (no database), plus a worker-thread pool
// for DTW / VERTEX_DTW batches. See docs/metrics.md for the definitions.
export { alignDtw, type DtwAlignment, type WarpingPath } from './dtw-alignment';
export { alignCosineDtw } from './cosine-dtw';
export {
  allocateEmbeddingSequence,
  embeddingSequenceFromRows,
  isSharedEmbeddingSequence,
  type EmbeddingSequence,
} from './embedding-sequence';
export { computeVertexDtw, type VertexDtwJob, type VertexDtwResult } from './vertex-dtw';
export { scoreVertexDtwBatch } from './vertex-dtw-batch';
export { VertexDtwWorkerPool, type VertexDtwBatchOptions } from './vertex-dtw-worker-pool';
export { parseVertexDtwInput, vertexDtwInputSchema, type VertexDtwInput } from './vertex-dtw-input';
export { summarizeVertexDtw, type TaskVertexDtwScores, type VertexDtwSummary } from './vertex-dtw-summary';
export { normalizedDtw, successWeightedDtw } from './navigation-dtw';
export {
  bootstrapMeanInterval,
  pairedBootstrapDifferenceInterval,
  type BootstrapInterval,
  type BootstrapOptions,
} from './bootstrap-interval';
export { taskScoreSchema, isSolved, type TaskScore } from './task-score';
export {
  compareFunctionalCorrectness,
  scoreFunctionalCorrectness,
  type CorrectnessDifference,
  type CorrectnessSummary,
  type FunctionalCorrectness,
} from './functional-correctness';
export {
  CAPABILITY_MERGE_SIMILARITY,
  capabilityIdByTemplate,
  groupCapabilities,
  taskTemplateSchema,
  type CapabilityGroup,
  type TaskTemplate,
} from './capability-groups';
export { compareCapabilities, scoreCapabilities, type CapabilityChange, type CapabilityScore } from './capability-score';
export {
  episodeStatisticsInputSchema,
  summarizeTrajectories,
  type EpisodeStatisticsInput,
  type TrajectoryStatistics,
} from './trajectory-statistics';
export {
  compareEvaluations,
  comparedEvaluationSchema,
  evaluationComparisonSchema,
  DEFAULT_COMPARISON_BOOTSTRAP,
  type ComparedEvaluation,
  type EvaluationComparison,
} from './compare-evaluations';
