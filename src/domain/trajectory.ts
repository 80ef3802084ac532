import { z } from 'zod';

/** One chat message as sent to an OpenAI-compatible endpoint. */
export const chatMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** Why an action was invalid: WebArena counts both kinds. */
export const invalidActionKindSchema = z.enum(['unparsable', 'missing_element']);
export type InvalidActionKind = z.infer<typeof invalidActionKindSchema>;

/** One agent step as stored: the exact prompt, the model's reply, and what became of the action. */
export const stepRecordSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  url: z.string(),
  /** The observation text shown to the model (tab header + accessibility tree). */
  observation: z.string(),
  objective: z.string(),
  /** The PREVIOUS ACTION line of the prompt. */
  previousAction: z.string(),
  promptMessages: z.array(chatMessageSchema),
  response: z.string(),
  /** The parsed action (see src/actions), or null when the response did not parse. */
  action: z.record(z.string(), z.unknown()).nullable(),
  /** Canonical text of the action (e.g. `click [12]`), or null when unparsable. */
  actionText: z.string().nullable(),
  actionDescription: z.string(),
  valid: z.boolean(),
  invalidKind: invalidActionKindSchema.nullable(),
  error: z.string().nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  timings: z.strictObject({
    modelMs: z.number().nonnegative(),
    actionMs: z.number().nonnegative(),
    observationMs: z.number().nonnegative(),
  }),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/** Early-stop reasons from WEBARENA.md. */
export const earlyStopReasonSchema = z.enum(['max_steps', 'parse_failures', 'repeated_actions', 'repeated_typing']);
export type EarlyStopReason = z.infer<typeof earlyStopReasonSchema>;

/** How an episode ended, before and after evaluation. */
export const episodeOutcomeSchema = z.strictObject({
  /** The `stop [...]` answer, or the early-stop text scored as the answer; null if the episode crashed. */
  answer: z.string().nullable(),
  /** The final model response (the one containing stop, or the last one). */
  finalResponse: z.string().nullable(),
  finalUrl: z.string().nullable(),
  earlyStopReason: earlyStopReasonSchema.nullable(),
  /** Environment failure (site down, browser crash); such records are incomplete for the critique filter. */
  environmentError: z.string().nullable(),
  length: z.number().int().nonnegative(),
  invalidActionCount: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  score: z.number().min(0).max(1).nullable(),
  evaluatorVersion: z.string().nullable(),
  evaluatorDetails: z.array(z.strictObject({ type: z.string(), score: z.number().nullable(), detail: z.string() })),
});
export type EpisodeOutcome = z.infer<typeof episodeOutcomeSchema>;

/** A whole trajectory as the critique filter and the mixture builder read it. */
export interface Trajectory {
  episodeId: string;
  taskId: string;
  intentTemplateId: number;
  steps: StepRecord[];
  outcome: EpisodeOutcome;
}
