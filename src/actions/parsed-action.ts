import { z } from 'zod';

/**
 * One action of WebArena's id-based grammar, as the parser produces it. Field names are what
 * `ratchet actions parse` prints and what a step record stores.
 */
export const parsedActionSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('click'), id: z.string() }),
  z.strictObject({ name: z.literal('hover'), id: z.string() }),
  z.strictObject({ name: z.literal('type'), id: z.string(), text: z.string(), pressEnter: z.boolean() }),
  z.strictObject({ name: z.literal('press'), keys: z.string() }),
  z.strictObject({ name: z.literal('scroll'), direction: z.enum(['up', 'down']) }),
  z.strictObject({ name: z.literal('new_tab') }),
  z.strictObject({ name: z.literal('tab_focus'), tab: z.number().int().nonnegative() }),
  z.strictObject({ name: z.literal('close_tab') }),
  z.strictObject({ name: z.literal('goto'), url: z.string() }),
  z.strictObject({ name: z.literal('go_back') }),
  z.strictObject({ name: z.literal('go_forward') }),
  z.strictObject({ name: z.literal('stop'), answer: z.string() }),
]);
export type ParsedAction = z.infer<typeof parsedActionSchema>;
export type ActionName = ParsedAction['name'];

/** Actions that address an element of the current observation by id. */
export type ElementAction = Extract<ParsedAction, { id: string }>;

/** Whether an action addresses an element by id (click, hover, type). */
export function isElementAction(action: ParsedAction): action is ElementAction {
  return action.name === 'click' || action.name === 'hover' || action.name === 'type';
}

/** The canonical grammar text of an action, e.g. `type [12] [hello] [0]`. */
export function formatAction(action: ParsedAction): string {
  switch (action.name) {
    case 'click':
    case 'hover':
      return `${action.name} [${action.id}]`;
    case 'type':
      return `type [${action.id}] [${action.text}] [${action.pressEnter ? 1 : 0}]`;
    case 'press':
      return `press [${action.keys}]`;
    case 'scroll':
      return `scroll [${action.direction}]`;
    case 'tab_focus':
      return `tab_focus [${action.tab}]`;
    case 'goto':
      return `goto [${action.url}]`;
    case 'stop':
      return `stop [${action.answer}]`;
    case 'new_tab':
    case 'close_tab':
    case 'go_back':
    case 'go_forward':
      return action.name;
  }
}
