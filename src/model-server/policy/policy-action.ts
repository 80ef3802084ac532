/**
 * The actions the policy reasons about, in WEBARENA.md's grammar. This is the policy's own reading
 * of a fenced action (it needs element ids and texts as fields); the agent's parser is src/actions.
 */
export type PolicyAction =
  | { kind: 'click' | 'hover'; elementId: string }
  | { kind: 'type'; elementId: string; text: string; pressEnter: boolean }
  | { kind: 'press'; keys: string }
  | { kind: 'scroll'; direction: 'up' | 'down' }
  | { kind: 'goto'; url: string }
  | { kind: 'tab_focus'; tab: number }
  | { kind: 'new_tab' | 'close_tab' | 'go_back' | 'go_forward' }
  | { kind: 'stop'; answer: string };

export type PolicyActionKind = PolicyAction['kind'];

/** The canonical action text, e.g. `type [12] [blue shoes] [1]`. */
export function renderAction(action: PolicyAction): string {
  switch (action.kind) {
    case 'click':
    case 'hover':
      return `${action.kind} [${action.elementId}]`;
    case 'type':
      return `type [${action.elementId}] [${action.text}] [${action.pressEnter ? 1 : 0}]`;
    case 'press':
      return `press [${action.keys}]`;
    case 'scroll':
      return `scroll [${action.direction}]`;
    case 'goto':
      return `goto [${action.url}]`;
    case 'tab_focus':
      return `tab_focus [${action.tab}]`;
    case 'stop':
      return `stop [${action.answer}]`;
    default:
      return action.kind;
  }
}

/** The first ``` fenced block of a response, without the fence, or null when there is none. */
export function firstFencedBlock(response: string): string | null {
  const match = /```[^\n`]*?\n?([\s\S]*?)```/.exec(response);
  if (!match) return null;
  return (match[1] ?? '').trim();
}

/** Reads one action in the WebArena grammar, or null when it does not parse. */
export function readActionText(text: string): PolicyAction | null {
  const trimmed = text.trim();
  const bracket = trimmed.indexOf('[');
  const name = (bracket < 0 ? trimmed : trimmed.slice(0, bracket)).trim();
  const rest = bracket < 0 ? '' : trimmed.slice(bracket);
  let match: RegExpExecArray | null;
  switch (name) {
    case 'click':
    case 'hover':
      match = /^\[(\d+)\]$/.exec(rest);
      return match ? { kind: name, elementId: match[1] ?? '' } : null;
    case 'type':
      match = /^\[(\d+)\] \[([\s\S]*?)\](?: \[([01])\])?$/.exec(rest);
      return match ? { kind: 'type', elementId: match[1] ?? '', text: match[2] ?? '', pressEnter: match[3] !== '0' } : null;
    case 'press':
      match = /^\[(.+)\]$/.exec(rest);
      return match ? { kind: 'press', keys: match[1] ?? '' } : null;
    case 'scroll':
      match = /^\[(down|up)\]$/.exec(rest);
      return match ? { kind: 'scroll', direction: match[1] === 'up' ? 'up' : 'down' } : null;
    case 'goto':
      match = /^\[(.+)\]$/.exec(rest);
      return match ? { kind: 'goto', url: match[1] ?? '' } : null;
    case 'tab_focus':
      match = /^\[(\d+)\]$/.exec(rest);
      return match ? { kind: 'tab_focus', tab: Number(match[1]) } : null;
    case 'new_tab':
    case 'close_tab':
    case 'go_back':
    case 'go_forward':
      return rest === '' ? { kind: name } : null;
    case 'stop': {
      const last = rest.lastIndexOf(']');
      return rest.startsWith('[') && last > 0 ? { kind: 'stop', answer: rest.slice(1, last) } : null;
    }
    default:
      return null;
  }
}

/** The action in a model response (its first fenced block), or null when there is none or it does not parse. */
export function readResponseAction(response: string): PolicyAction | null {
  const block = firstFencedBlock(response);
  return block === null ? null : readActionText(block);
}
