import { describe, expect, it } from 'vitest';
import { cleanAnswer } from '../../src/evaluators/clean-answer';
import type { Judge } from '../../src/evaluators/judge';
import { scoreStringMatch } from '../../src/evaluators/string-match';
import { taskConfigSchema, type ReferenceAnswers, type TaskConfig } from '../../src/tasks/task-config';

function task(referenceAnswers: ReferenceAnswers, stringNote?: string): TaskConfig {
  return taskConfigSchema.parse({
    task_id: 7, sites: ['shopping'], intent: 'How much was spent?', intent_template: 'How much was spent?', instantiation_dict: {},
    intent_template_id: 1, start_url: '__SHOPPING__', require_login: true, storage_state: null, geolocation: null, require_reset: false,
    eval: { eval_types: ['string_match'], reference_answers: referenceAnswers, reference_url: '', program_html: [], ...(stringNote === undefined ? {} : { string_note: stringNote }) },
  });
}

/** A judge that answers from a script and records what it was asked. */
function scriptedJudge(fuzzy: Awaited<ReturnType<Judge['fuzzyMatch']>>, reason: Awaited<ReturnType<Judge['unachievableReason']>> = 'same') {
  const calls: unknown[] = [];
  const judge: Judge = {
    fuzzyMatch: (input) => { calls.push(['fuzzy', input]); return Promise.resolve(fuzzy); },
    unachievableReason: (input) => { calls.push(['reason', input]); return Promise.resolve(reason); },
  };
  return { judge, calls };
}

const score = async (answers: ReferenceAnswers, answer: string, options: { judge?: Judge; mode?: 'webarena' | 'ratchet'; note?: string } = {}) =>
  (await scoreStringMatch({ task: task(answers, options.note), answer, judge: options.judge, mode: options.mode ?? 'webarena' })).score;

describe('cleanAnswer', () => {
  it('trims, drops one pair of surrounding quotes and lowercases, nothing else', () => {
    expect(cleanAnswer('  "Hello, World!"  ')).toBe('hello, world!');
    expect(cleanAnswer("'It''s'")).toBe("it''s");
    expect(cleanAnswer('"\'x\'"')).toBe("'x'");
    expect(cleanAnswer('a  b.')).toBe('a  b.');
  });
});

describe('scoreStringMatch in webarena mode', () => {
  it('exact_match compares cleaned texts', async () => {
    expect(await score({ exact_match: 'Yes' }, ' "YES" ')).toBe(1);
    expect(await score({ exact_match: 'Yes' }, 'Yes.')).toBe(0);
  });

  it('cleans the answer twice, so nested quotes of both kinds are stripped', async () => {
    expect(await score({ exact_match: 'blue' }, '"\'blue\'"')).toBe(1);
    expect(await score({ exact_match: 'blue' }, '"\'blue\'"', { mode: 'ratchet' })).toBe(0);
  });

  it('must_include is a substring test of every item', async () => {
    expect(await score({ must_include: ['Alice', 'Bob'] }, 'alice and bob')).toBe(1);
    expect(await score({ must_include: ['Alice', 'Bob'] }, 'only alice')).toBe(0);
  });

  it('a lone single-character item must equal a Treebank token: "$0.00" does not contain 0, "2 reviews" contains 2', async () => {
    expect(await score({ must_include: ['0'] }, '$0.00')).toBe(0);
    expect(await score({ must_include: ['2'] }, '2 reviews')).toBe(1);
    expect(await score({ must_include: ['0'] }, 'The total is 0.')).toBe(1);
    expect(await score({ must_include: ['2'] }, '12 reviews')).toBe(0);
  });

  it('applies the token rule only to one-item lists: in a longer list "2" is found inside "12"', async () => {
    expect(await score({ must_include: ['2', 'reviews'] }, '12 reviews')).toBe(1);
  });

  it('does not interpret |OR| in string_match: it must appear literally', async () => {
    expect(await score({ must_include: ['red |OR| blue'] }, 'blue')).toBe(0);
    expect(await score({ must_include: ['red |OR| blue'] }, 'red |or| blue')).toBe(1);
    expect(await score({ must_include: ['red |OR| blue'] }, 'blue', { mode: 'ratchet' })).toBe(1);
  });

  it('an unachievable task answered "N/A" scores 1 without asking the judge', async () => {
    const { judge, calls } = scriptedJudge('incorrect', 'different');
    expect(await score({ fuzzy_match: 'N/A' }, ' "n/a" ', { judge, note: 'no such order' })).toBe(1);
    expect(calls).toHaveLength(0);
  });

  it("any other answer to an unachievable task is scored by the judge's verdict on the reason", async () => {
    const same = scriptedJudge('correct', 'same');
    expect(await score({ fuzzy_match: 'N/A' }, 'There is no such ORDER', { judge: same.judge, note: 'no such order' })).toBe(1);
    expect(same.calls).toEqual([['reason', { task: 'How much was spent?', actualReason: 'no such order', reportedReason: 'there is no such order' }]]);
    const different = scriptedJudge('correct', 'different');
    expect(await score({ fuzzy_match: 'N/A' }, '$25', { judge: different.judge, note: 'no such order' })).toBe(0);
  });

  it('the verdict replaces earlier keys in webarena mode and multiplies in ratchet mode', async () => {
    const { judge } = scriptedJudge('correct', 'same');
    const answers: ReferenceAnswers = { exact_match: 'nothing', fuzzy_match: 'N/A' };
    expect(await score(answers, 'no such order exists', { judge, note: 'no order' })).toBe(1);
    expect(await score(answers, 'no such order exists', { judge, note: 'no order', mode: 'ratchet' })).toBe(0);
  });

  it('fuzzy_match asks the judge once per reference and only "correct" passes', async () => {
    const correct = scriptedJudge('correct');
    expect(await score({ fuzzy_match: ['3h 30min', 'Hyatt'] }, 'About 3.5 hours at the Hyatt', { judge: correct.judge })).toBe(1);
    expect(correct.calls).toHaveLength(2);
    expect(correct.calls[0]).toEqual(['fuzzy', { question: 'How much was spent?', reference: '3h 30min', answer: 'about 3.5 hours at the hyatt' }]);
    expect(await score({ fuzzy_match: ['3h 30min'] }, 'about 3 hours', { judge: scriptedJudge('partially correct').judge })).toBe(0);
    expect(await score({ fuzzy_match: ['3h 30min'] }, 'no', { judge: scriptedJudge('incorrect').judge })).toBe(0);
  });

  it('an empty answer fails fuzzy_match without a judge call', async () => {
    const { judge, calls } = scriptedJudge('correct');
    expect(await score({ fuzzy_match: ['3h 30min'] }, '  ', { judge })).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('refuses to score fuzzy_match without a judge', async () => {
    await expect(score({ fuzzy_match: ['x'] }, 'x')).rejects.toThrow('evaluating task 7 with string_match: fuzzy_match needs a judge');
  });
});
