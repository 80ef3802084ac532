import { describe, expect, it } from 'vitest';
import type { ParsedAction } from '../../src/actions/parsed-action';
import { checkEarlyStop } from '../../src/agent/early-stop';

const click = (id: string): ParsedAction => ({ name: 'click', id });
const type = (id: string, text: string): ParsedAction => ({ name: 'type', id, text, pressEnter: true });

describe('checkEarlyStop', () => {
  it('lets a fresh episode and a varied one continue', () => {
    expect(checkEarlyStop([])).toBeNull();
    expect(checkEarlyStop([click('1'), click('2'), click('1'), null, click('3')])).toBeNull();
  });

  it('stops at the step budget with the limit in the answer', () => {
    const actions = Array.from({ length: 30 }, (_, index) => click(String(index)));
    expect(checkEarlyStop(actions.slice(0, 29))).toBeNull();
    expect(checkEarlyStop(actions)).toEqual({ reason: 'max_steps', answer: 'Early stop: reached the limit of 30 steps' });
    expect(checkEarlyStop(actions.slice(0, 5), 5)?.reason).toBe('max_steps');
  });

  it('stops after 3 unparsable outputs in a row, not after 2', () => {
    expect(checkEarlyStop([click('1'), null, null])).toBeNull();
    expect(checkEarlyStop([click('1'), null, null, null])?.reason).toBe('parse_failures');
  });

  it('stops after 3 equivalent actions in a row, not when one in between differs', () => {
    expect(checkEarlyStop([click('1'), click('1'), click('1')])?.reason).toBe('repeated_actions');
    expect(checkEarlyStop([click('1'), click('2'), click('1'), click('1')])).toBeNull();
    expect(checkEarlyStop([{ name: 'scroll', direction: 'down' }, { name: 'scroll', direction: 'down' }, { name: 'scroll', direction: 'down' }])?.answer).toMatch(/^Early stop: /);
  });

  it('stops after 3 typing actions into the same element anywhere in the episode, whatever the text', () => {
    expect(checkEarlyStop([type('5', 'a'), click('1'), type('5', 'b')])).toBeNull();
    expect(checkEarlyStop([type('5', 'a'), click('1'), type('5', 'b'), click('2'), type('5', 'c')])).toEqual({
      reason: 'repeated_typing',
      answer: 'Early stop: typed into element [5] 3 times',
    });
  });

  it('counts typing only when the last action is typing', () => {
    expect(checkEarlyStop([type('5', 'a'), type('5', 'b'), type('5', 'c'), click('1')])).toBeNull();
  });
});
