import { formatAction, isElementAction, type ParsedAction } from './parsed-action';

/** The shape the model is reminded of when its output did not parse. */
export const EXPECTED_ACTION_SHAPE = 'a short reasoning, then "In summary, the next action I will perform is" and the action alone in a ``` fence, e.g. ```click [1234]```';

/**
 * The PREVIOUS ACTION line for an action that ran. `elementLine` is the acted-on element's
 * observation line without its id (e.g. `button 'Search'`), when the action addressed one.
 */
export function describeAction(action: ParsedAction, elementLine?: string): string {
  const text = formatAction(action);
  if (isElementAction(action) && elementLine) return `${text} where [${action.id}] is ${elementLine}`;
  return text;
}

/** The PREVIOUS ACTION line after a response that did not parse. */
export function describeUnparsableAction(response: string): string {
  const quoted = response.trim().replace(/\s+/g, ' ').slice(0, 300);
  return `Your previous response ("${quoted}") was not in the right format, so nothing was done. Give ${EXPECTED_ACTION_SHAPE}.`;
}

/** The PREVIOUS ACTION line after an action whose element id was not in the observation. */
export function describeMissingElement(action: ParsedAction): string {
  const id = isElementAction(action) ? action.id : '?';
  return `You tried "${formatAction(action)}", but no element with id [${id}] was found in the observation, so nothing was done. Use an id shown in the current observation.`;
}

/** The PREVIOUS ACTION line after an action that was attempted but failed in the browser. */
export function describeFailedAction(action: ParsedAction, error: string, elementLine?: string): string {
  return `${describeAction(action, elementLine)} (it failed: ${error.split('\n')[0] ?? error})`;
}
