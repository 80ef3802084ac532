import { describe, expect, it } from 'vitest';
import { parseAction, parseActionText } from '../../src/actions/parse-action';
import { formatAction, type ParsedAction } from '../../src/actions/parsed-action';

const fenced = (action: string): string => `Let me think about the page. In summary, the next action I will perform is \`\`\`${action}\`\`\``;

describe('parseAction reads every action of the grammar from the first fenced block', () => {
  it.each<[string, ParsedAction]>([
    ['click [1234]', { name: 'click', id: '1234' }],
    ['click[7]', { name: 'click', id: '7' }],
    ['hover [56]', { name: 'hover', id: '56' }],
    ['type [164] [restaurants near CMU] [1]', { name: 'type', id: '164', text: 'restaurants near CMU', pressEnter: true }],
    ['type [164] [restaurants near CMU] [0]', { name: 'type', id: '164', text: 'restaurants near CMU', pressEnter: false }],
    ['type [164] [no flag means Enter]', { name: 'type', id: '164', text: 'no flag means Enter', pressEnter: true }],
    ['type [5] [a [nested] text] [0]', { name: 'type', id: '5', text: 'a [nested] text', pressEnter: false }],
    ['press [Ctrl+v]', { name: 'press', keys: 'Ctrl+v' }],
    ['scroll [down]', { name: 'scroll', direction: 'down' }],
    ['scroll [up]', { name: 'scroll', direction: 'up' }],
    ['scroll down', { name: 'scroll', direction: 'down' }],
    ['new_tab', { name: 'new_tab' }],
    ['tab_focus [2]', { name: 'tab_focus', tab: 2 }],
    ['close_tab', { name: 'close_tab' }],
    ['goto [http://shop.example.com/cart?x=[1]]', { name: 'goto', url: 'http://shop.example.com/cart?x=[1]' }],
    ['go_back', { name: 'go_back' }],
    ['go_forward', { name: 'go_forward' }],
    ['stop [$25.99]', { name: 'stop', answer: '$25.99' }],
    ['stop [N/A]', { name: 'stop', answer: 'N/A' }],
    ['stop [the [first] to the last] bracket]', { name: 'stop', answer: 'the [first] to the last] bracket' }],
    ['stop', { name: 'stop', answer: '' }],
  ])('%s', (action, expected) => {
    const result = parseAction(fenced(action));
    expect(result).toEqual({ valid: true, action: expected, text: formatAction(expected) });
  });

  it('reads only the first fenced block, even when a later one holds another action', () => {
    expect(parseAction('```click [1]``` then maybe ```click [2]```')).toMatchObject({ valid: true, action: { name: 'click', id: '1' } });
  });

  it('reads a fenced block that spans lines and trims it', () => {
    expect(parseAction('Reasoning.\n```\nstop [42]\n```\n')).toMatchObject({ valid: true, action: { name: 'stop', answer: '42' } });
  });

  it('takes a stop answer across lines from the first [ to the last ]', () => {
    expect(parseAction('```stop [line one\nline two]```')).toMatchObject({ valid: true, action: { name: 'stop', answer: 'line one\nline two' } });
  });
});

describe('parseAction rejects malformed output', () => {
  it.each([
    ['no fence at all', 'In summary, the next action I will perform is click [12]'],
    ['an unclosed fence', 'In summary ```click [12]'],
    ['an empty fence', 'In summary ``` ```'],
    ['scroll [direction=down]', fenced('scroll [direction=down]')],
    ['a capitalised name', fenced('Click [12]')],
    ['prose before the name', fenced('the action is click [12]')],
    ['a language tag before the action', '```text\nclick [12]\n```'],
    ['a click without brackets', fenced('click 12')],
    ['a click on a non-numeric id', fenced('click [submit]')],
    ['type without text', fenced('type [12]')],
    ['tab_focus without a number', fenced('tab_focus [next]')],
    ['goto without a URL', fenced('goto []')],
    ['press without keys', fenced('press')],
    ['an unknown action', fenced('scroll_to [12]')],
    ['a bare id', fenced('[12]')],
  ])('%s', (_label, response) => {
    const result = parseAction(response);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.error.length).toBeGreaterThan(10);
  });

  it('names the action and the expected shape in its error', () => {
    expect(parseActionText('scroll [direction=down]')).toEqual({
      valid: false,
      error: 'scroll needs a direction: expected "scroll [up]" or "scroll [down]", got "scroll [direction=down]"',
    });
  });
});

describe('WebArena parser quirks kept on purpose', () => {
  it('appends [1] to a type action whose flag is not 0 or 1, so the flag becomes part of the text', () => {
    expect(parseActionText('type [3] [abc] [2]')).toMatchObject({ valid: true, action: { text: 'abc] [2', pressEnter: true } });
  });

  it('searches for the pattern anywhere after the name, so a later well-formed click is used', () => {
    expect(parseActionText('click [x] or click [9]')).toMatchObject({ valid: true, action: { id: '9' } });
  });
});
