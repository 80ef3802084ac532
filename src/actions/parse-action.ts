import type { ParsedAction } from './parsed-action';
import { formatAction } from './parsed-action';

/** What the parser made of a model response: an action (with its canonical text) or why not. */
export type ParseResult = { valid: true; action: ParsedAction; text: string } | { valid: false; error: string };

// The first fenced block, non-greedy, across lines (WebArena reads only this block).
const FIRST_FENCE = /```([\s\S]*?)```/;

// One pattern per action, searched (not anchored) in the action text as WebArena does.
// `.` stops at a newline, like Python's `re` without DOTALL.
const ELEMENT_ID: Record<'click' | 'hover', RegExp> = { click: /click ?\[(\d+)\]/, hover: /hover ?\[(\d+)\]/ };
const TYPE_ARGUMENTS = /type ?\[(\d+)\] ?\[(.+)\] ?\[(\d+)\]/;
const PRESS_ARGUMENT = /press ?\[(.+)\]/;
const SCROLL_ARGUMENT = /scroll ?\[?(up|down)\]?/;
const GOTO_ARGUMENT = /goto ?\[(.+)\]/;
const TAB_ARGUMENT = /tab_focus ?\[(\d+)\]/;

function invalid(error: string): ParseResult {
  return { valid: false, error };
}

function parsed(action: ParsedAction): ParseResult {
  return { valid: true, action, text: formatAction(action) };
}

/** The action text inside the first ``` fenced block of a response, trimmed, or null when there is none. */
export function extractFencedAction(response: string): string | null {
  const match = FIRST_FENCE.exec(response);
  return match ? (match[1] ?? '').trim() : null;
}

/**
 * Parses one action of WebArena's id-based grammar (no fence). The action name is the text before
 * the first `[` (or the first word when there is none); quirks kept on purpose: `type` gets ` [1]`
 * appended unless it already ends in `[0]`/`[1]`, and `scroll [direction=down]` does not parse.
 */
export function parseActionText(actionText: string): ParseResult {
  const text = actionText.trim();
  if (text === '') return invalid('the fenced block is empty');
  const name = text.includes('[') ? text.slice(0, text.indexOf('[')).trim() : (text.split(/\s+/)[0] ?? '');
  switch (name) {
    case 'click':
    case 'hover': {
      const match = ELEMENT_ID[name].exec(text);
      if (!match) return invalid(`${name} needs a numeric element id: expected "${name} [id]", got "${text}"`);
      return parsed({ name, id: match[1] ?? '' });
    }
    case 'type': {
      const withFlag = text.endsWith('[0]') || text.endsWith('[1]') ? text : `${text} [1]`;
      const match = TYPE_ARGUMENTS.exec(withFlag);
      if (!match) return invalid(`type needs an element id and a text: expected "type [id] [text] [0|1]", got "${text}"`);
      return parsed({ name: 'type', id: match[1] ?? '', text: match[2] ?? '', pressEnter: match[3] === '1' });
    }
    case 'press': {
      const match = PRESS_ARGUMENT.exec(text);
      if (!match) return invalid(`press needs a key combination: expected "press [key_comb]", got "${text}"`);
      return parsed({ name: 'press', keys: match[1] ?? '' });
    }
    case 'scroll': {
      const match = SCROLL_ARGUMENT.exec(text);
      if (!match) return invalid(`scroll needs a direction: expected "scroll [up]" or "scroll [down]", got "${text}"`);
      return parsed({ name: 'scroll', direction: match[1] === 'up' ? 'up' : 'down' });
    }
    case 'goto': {
      const match = GOTO_ARGUMENT.exec(text);
      if (!match) return invalid(`goto needs a URL: expected "goto [url]", got "${text}"`);
      return parsed({ name: 'goto', url: match[1] ?? '' });
    }
    case 'tab_focus': {
      const match = TAB_ARGUMENT.exec(text);
      if (!match) return invalid(`tab_focus needs a tab number: expected "tab_focus [tab_index]", got "${text}"`);
      return parsed({ name: 'tab_focus', tab: Number(match[1]) });
    }
    case 'new_tab':
    case 'close_tab':
    case 'go_back':
    case 'go_forward':
      return parsed({ name });
    case 'stop': {
      // The answer runs from the first '[' to the last ']'; a bare `stop` answers "".
      const open = text.indexOf('[');
      const close = text.lastIndexOf(']');
      return parsed({ name: 'stop', answer: open >= 0 && close > open ? text.slice(open + 1, close) : '' });
    }
    default:
      return invalid(`unknown action "${name}" in "${text}"`);
  }
}

/** Parses a model response: the action is read from its FIRST ``` fenced block only. */
export function parseAction(response: string): ParseResult {
  const actionText = extractFencedAction(response);
  if (actionText === null) return invalid('no ``` fenced block with an action in the response');
  return parseActionText(actionText);
}
