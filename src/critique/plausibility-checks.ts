import { z } from 'zod';
import { episodeOutcomeSchema, stepRecordSchema, type Trajectory } from '../domain/trajectory';

/** The label-free checks of METHOD.md step 2, one name per rule; a trajectory is kept only if none fails. */
export const plausibilityCheckSchema = z.enum([
  'early_stopped',
  'repeated_action',
  'declared_impossible',
  'no_answer',
  'unparsable_step',
  'incomplete_record',
]);
export type PlausibilityCheck = z.infer<typeof plausibilityCheckSchema>;

/** An action string occurring this many times anywhere in a trajectory rejects it (rule 2). */
export const REPEATED_ACTION_LIMIT = 3;

/** The text the agent runtime scores as the answer of an early-stopped episode (WEBARENA.md). */
const EARLY_STOP_ANSWER = /^\s*early stop\b/i;

// Phrases that say the task cannot be done. Matched case-insensitively in the final response (rule 3).
const IMPOSSIBLE_PHRASES: readonly RegExp[] = [
  /\bimpossible\b/,
  /\b(?:cannot|can ?not|can't|couldn't|could not)\s+be\s+(?:done|completed|accomplished|achieved|fulfilled|performed|answered|found|determined)\b/,
  /\bnot\s+(?:possible|feasible|achievable|doable)\b/,
  /\b(?:unable|not able)\s+to\s+(?:complete|accomplish|achieve|fulfil|fulfill|perform|finish|do)\b/,
  /\b(?:i|we)\s+(?:cannot|can ?not|can't)\s+(?:complete|accomplish|achieve|fulfil|fulfill|perform|finish|do)\s+(?:this|the|that)\s+task\b/,
  /\bthere\s+is\s+no\s+way\s+to\b/,
];

// Answers that decline instead of answering (rule 4). Matched against the cleaned answer.
const DECLINED_ANSWERS: readonly RegExp[] = [
  /^(?:i'?m|i am)\s+sorry\b/,
  /^sorry\b/,
  /^(?:i\s+)?(?:cannot|can ?not|can't|couldn't|could not)\s+(?:help|answer|find|determine|complete|do|provide|access)\b/,
  /^(?:i\s+(?:am|'m)\s+)?unable\s+to\b/,
  /^i\s+(?:don't|do not)\s+know\b/,
  /^(?:unknown|not sure|no answer|none found|not found|not available|unavailable|not applicable)\.?$/,
];

/** WebArena's answer cleaning: trim, drop one pair of surrounding quotes, lowercase. */
function cleanAnswer(answer: string): string {
  let text = answer.trim();
  if (text.length >= 2 && ((text.startsWith("'") && text.endsWith("'")) || (text.startsWith('"') && text.endsWith('"')))) {
    text = text.slice(1, -1);
  }
  return text.trim().toLowerCase();
}

/** Rule 1: the episode hit the step limit, three parse failures, or three repeated actions. */
export function isEarlyStopped(trajectory: Trajectory): boolean {
  return trajectory.outcome.earlyStopReason !== null || EARLY_STOP_ANSWER.test(trajectory.outcome.answer ?? '');
}

/** Rule 2: some action string (whitespace-normalised) occurs REPEATED_ACTION_LIMIT or more times. */
export function hasRepeatedAction(trajectory: Trajectory): boolean {
  const counts = new Map<string, number>();
  for (const step of trajectory.steps) {
    if (step.actionText === null) continue;
    const action = step.actionText.trim().replace(/\s+/g, ' ');
    const count = (counts.get(action) ?? 0) + 1;
    if (count >= REPEATED_ACTION_LIMIT) return true;
    counts.set(action, count);
  }
  return false;
}

/** Rule 3: the final response says the task is impossible or cannot be done. */
export function declaresImpossible(trajectory: Trajectory): boolean {
  const finalResponse = trajectory.outcome.finalResponse ?? trajectory.steps.at(-1)?.response ?? '';
  const text = finalResponse.toLowerCase().replace(/\u2019/g, "'");
  return IMPOSSIBLE_PHRASES.some((phrase) => phrase.test(text));
}

/** Rule 4: the final answer is "N/A", empty (`stop []`) or declined. A missing answer is rule 6's concern. */
export function hasNoAnswer(trajectory: Trajectory): boolean {
  if (trajectory.outcome.answer === null) return false;
  const answer = cleanAnswer(trajectory.outcome.answer.replace(/\u2019/g, "'"));
  if (answer === '' || answer === 'n/a' || answer === 'na') return true;
  return DECLINED_ANSWERS.some((pattern) => pattern.test(answer));
}

/** Rule 5: some step's response did not parse into an action. */
export function hasUnparsableStep(trajectory: Trajectory): boolean {
  return trajectory.steps.some((step) => step.invalidKind === 'unparsable' || step.actionText === null);
}

/**
 * Rule 6: the records are incomplete: an environment error, no steps, no answer, a step or outcome that
 * does not match its schema, or step indexes that are not 0..n-1 in order (a lost or duplicated step).
 */
export function hasIncompleteRecord(trajectory: Trajectory): boolean {
  const { outcome, steps } = trajectory;
  if (outcome.environmentError !== null || outcome.answer === null || steps.length === 0) return true;
  if (!episodeOutcomeSchema.safeParse(outcome).success) return true;
  return steps.some((step, position) =>
    step.index !== position || step.promptMessages.length === 0 || !stepRecordSchema.safeParse(step).success);
}

/** Every check with the rule it implements, in METHOD.md's order. */
export const plausibilityChecks: ReadonlyArray<{ name: PlausibilityCheck; fails: (trajectory: Trajectory) => boolean }> = [
  { name: 'early_stopped', fails: isEarlyStopped },
  { name: 'repeated_action', fails: hasRepeatedAction },
  { name: 'declared_impossible', fails: declaresImpossible },
  { name: 'no_answer', fails: hasNoAnswer },
  { name: 'unparsable_step', fails: hasUnparsableStep },
  { name: 'incomplete_record', fails: hasIncompleteRecord },
];
