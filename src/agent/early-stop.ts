import { areActionsEquivalent } from '../actions/action-equivalence';
import type { ParsedAction } from '../actions/parsed-action';
import type { EarlyStopReason } from '../domain/trajectory';

/** WebArena's step budget. */
export const DEFAULT_MAX_STEPS = 30;
/** How many unparsable outputs in a row end the episode. */
export const PARSE_FAILURE_LIMIT = 3;
/** How many equivalent actions in a row (or typing actions anywhere) end the episode. */
export const REPEATED_ACTION_LIMIT = 3;

/** Why an episode stops early, and the answer text it is scored with. */
export interface EarlyStop {
  reason: EarlyStopReason;
  /** `Early stop: <reason>`, the text scored as the answer. */
  answer: string;
}

function earlyStop(reason: EarlyStopReason, explanation: string): EarlyStop {
  return { reason, answer: `Early stop: ${explanation}` };
}

/**
 * WebArena's early-stop rules, checked before each model call over the actions taken so far (null =
 * unparsable): the step budget; the last 3 unparsable; the last 3 equivalent; and, when the last
 * action is typing, 3 equivalent typing actions anywhere in the episode.
 */
export function checkEarlyStop(actions: ReadonlyArray<ParsedAction | null>, maxSteps: number = DEFAULT_MAX_STEPS): EarlyStop | null {
  if (actions.length >= maxSteps) return earlyStop('max_steps', `reached the limit of ${maxSteps} steps`);
  const lastParseWindow = actions.slice(-PARSE_FAILURE_LIMIT);
  if (lastParseWindow.length >= PARSE_FAILURE_LIMIT && lastParseWindow.every((action) => action === null)) {
    return earlyStop('parse_failures', `the last ${PARSE_FAILURE_LIMIT} outputs could not be parsed as actions`);
  }
  const last = actions[actions.length - 1];
  if (last === undefined) return null;
  if (last?.name === 'type') {
    const repeats = actions.filter((action) => areActionsEquivalent(action, last)).length;
    if (repeats >= REPEATED_ACTION_LIMIT) return earlyStop('repeated_typing', `typed into element [${last.id}] ${repeats} times`);
    return null;
  }
  const lastRepeatWindow = actions.slice(-REPEATED_ACTION_LIMIT);
  if (lastRepeatWindow.length >= REPEATED_ACTION_LIMIT && lastRepeatWindow.every((action) => areActionsEquivalent(action, last))) {
    return earlyStop('repeated_actions', `the same action was repeated ${REPEATED_ACTION_LIMIT} times in a row`);
  }
  return null;
}
