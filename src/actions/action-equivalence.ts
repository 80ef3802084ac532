import type { ParsedAction } from './parsed-action';

/**
 * Whether two steps' actions count as "the same" for the early-stop repeat rules (WebArena's rule):
 * two unparsable steps (null) are equivalent; click/hover/type compare the element only (typing
 * different text into the same field is still a repeat); the rest compare their one argument.
 */
export function areActionsEquivalent(a: ParsedAction | null, b: ParsedAction | null): boolean {
  if (a === null || b === null) return a === b;
  switch (a.name) {
    case 'click':
    case 'hover':
    case 'type':
      return b.name === a.name && b.id === a.id;
    case 'press':
      return b.name === 'press' && b.keys === a.keys;
    case 'scroll':
      return b.name === 'scroll' && b.direction === a.direction;
    case 'goto':
      return b.name === 'goto' && b.url === a.url;
    case 'tab_focus':
      return b.name === 'tab_focus' && b.tab === a.tab;
    case 'stop':
      return b.name === 'stop' && b.answer === a.answer;
    case 'new_tab':
    case 'close_tab':
    case 'go_back':
    case 'go_forward':
      return b.name === a.name;
  }
}
