import { describe, expect, it } from 'vitest';
import { areActionsEquivalent } from '../../src/actions/action-equivalence';
import { describeAction, describeFailedAction, describeMissingElement, describeUnparsableAction } from '../../src/actions/describe-action';
import type { ParsedAction } from '../../src/actions/parsed-action';

describe('areActionsEquivalent', () => {
  it.each<[string, ParsedAction | null, ParsedAction | null, boolean]>([
    ['two unparsable outputs', null, null, true],
    ['unparsable and a click', null, { name: 'click', id: '1' }, false],
    ['clicks on the same element', { name: 'click', id: '1' }, { name: 'click', id: '1' }, true],
    ['clicks on different elements', { name: 'click', id: '1' }, { name: 'click', id: '2' }, false],
    ['a click and a hover on the same element', { name: 'click', id: '1' }, { name: 'hover', id: '1' }, false],
    ['typing different text into the same field', { name: 'type', id: '4', text: 'a', pressEnter: true }, { name: 'type', id: '4', text: 'b', pressEnter: false }, true],
    ['scrolls in the same direction', { name: 'scroll', direction: 'down' }, { name: 'scroll', direction: 'down' }, true],
    ['scrolls in opposite directions', { name: 'scroll', direction: 'down' }, { name: 'scroll', direction: 'up' }, false],
    ['the same keys', { name: 'press', keys: 'Enter' }, { name: 'press', keys: 'Enter' }, true],
    ['different urls', { name: 'goto', url: 'http://a' }, { name: 'goto', url: 'http://b' }, false],
    ['the same tab', { name: 'tab_focus', tab: 1 }, { name: 'tab_focus', tab: 1 }, true],
    ['two go_backs', { name: 'go_back' }, { name: 'go_back' }, true],
    ['stops with different answers', { name: 'stop', answer: '1' }, { name: 'stop', answer: '2' }, false],
  ])('%s -> %s', (_label, a, b, expected) => {
    expect(areActionsEquivalent(a, b)).toBe(expected);
    expect(areActionsEquivalent(b, a)).toBe(expected);
  });
});

describe('action descriptions for the PREVIOUS ACTION line', () => {
  it('names the element an action addressed', () => {
    expect(describeAction({ name: 'click', id: '12' }, "button 'Search'")).toBe("click [12] where [12] is button 'Search'");
    expect(describeAction({ name: 'scroll', direction: 'down' })).toBe('scroll [down]');
  });

  it('says the format was wrong and shows the expected shape for unparsable output', () => {
    const text = describeUnparsableAction('I would click the\nbutton');
    expect(text).toContain('I would click the button');
    expect(text).toContain('not in the right format');
    expect(text).toContain('```click [1234]```');
  });

  it('says no matching element was found for an unknown id', () => {
    expect(describeMissingElement({ name: 'type', id: '99', text: 'x', pressEnter: true })).toContain('no element with id [99] was found');
  });

  it('reports the first line of a browser error', () => {
    expect(describeFailedAction({ name: 'press', keys: 'Hyper' }, 'Unknown key: "Hyper"\nstack')).toBe('press [Hyper] (it failed: Unknown key: "Hyper")');
  });
});
