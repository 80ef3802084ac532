export { trainingExampleSchema, syntheticExampleSchema, stepPositionSchema, type TrainingExample, type SyntheticExample, type StepPosition } from './training-example';
export { selectTrajectorySteps, examplesFromTrajectory, balanceStepPositions, type PositionedExample } from './trajectory-examples';
export { poolNewestPerTask, type RoundTrajectories } from './pool-rounds';
export { exampleFingerprint, normaliseExampleText } from './example-fingerprint';
export {
  mixtureSpecSchema,
  mixtureSourceSchema,
  sourceSizeSchema,
  parseMixtureSpec,
  MixtureSpecError,
  type MixtureSpec,
  type MixtureSpecInput,
  type MixtureSource,
  type SourceSize,
} from './mixture-spec';
export { mixturePreset, type MixturePresetName, type MixturePresetOptions } from './presets';
export {
  buildMixture,
  apportionValidation,
  MixtureBuildError,
  MIXTURE_FORMAT_VERSION,
  type Mixture,
  type MixtureCounts,
  type MixtureInputs,
  type SourceCounts,
} from './build-mixture';
export {
  formatChatJsonl,
  parseChatJsonl,
  fineTuneRecordsToExamples,
  fineTuneRecordSchema,
  fineTuneMessageSchema,
  ChatJsonlError,
  type FineTuneRecord,
  type JsonlProblem,
} from './chat-jsonl';
export { createSeededRandom, deriveSeed, type SeededRandom } from './seeded-random';
