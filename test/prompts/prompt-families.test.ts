import { describe, expect, it } from 'vitest';
import { buildOodActionsMessages, parseOodActionsReply } from '../../src/prompts/ood-actions';
import { buildOodObjectiveMessages, parseOodObjectiveReply } from '../../src/prompts/ood-objective';
import { buildOodPageMessages, parseOodPageReply } from '../../src/prompts/ood-page';
import { buildOodPlanMessages, formatPlan, parseOodPlanReply, type PlanStep } from '../../src/prompts/ood-plan';
import { buildOodUrlMessages, parseOodUrlReply } from '../../src/prompts/ood-url';
import { buildTrajectoryCriticMessages, parseTrajectoryCriticReply } from '../../src/prompts/trajectory-critic';
import { Policy } from '../../src/model-server/policy/policy';
import { baseParameters } from '../../src/model-server/model-registry';
import { respondToChat } from '../../src/model-server/responders/chat-responder';
import { createSeededRandom } from '../../src/model-server/seeded-random';
import type { ChatMessage } from '../../src/domain/trajectory';
import type { ReplyCheck } from '../../src/prompts/reply-check';

function errorOf<T>(check: ReplyCheck<T>): string {
  return check.ok ? '(accepted)' : check.error;
}

const policy = new Policy(baseParameters());
function ask(messages: ChatMessage[], seed = 1): string {
  return respondToChat(policy, messages, { temperature: 1, topP: 1, random: createSeededRandom(seed) }).text;
}

const plan: PlanStep[] = [
  { verb: 'type', description: 'Dune into the search box' },
  { verb: 'click', description: 'the result for Dune' },
  { verb: 'stop', description: 'with the rating shown' },
];

describe('OOD objective prompt', () => {
  const examples = ['What is the price of Sprite Yoga Ball', 'How many reviews does Quest Lumaflex Band have'];
  it('builds a prompt listing the examples and the websites to avoid, and the local model answers it in format', () => {
    const messages = buildOodObjectiveMessages({ examples, avoidWebsites: ['One Stop Market'] });
    expect(messages.at(-1)?.content).toContain('1. What is the price of Sprite Yoga Ball');
    expect(messages.at(-1)?.content).toContain('must not be one of: One Stop Market');
    for (const seed of [1, 2, 3, 4, 5]) {
      const parsed = parseOodObjectiveReply(ask(messages, seed), examples);
      expect(parsed.ok).toBe(true);
    }
  });
  it('rejects replies missing a field, repeating one, or copying an example', () => {
    expect(errorOf(parseOodObjectiveReply('OBJECTIVE: Find the rating of Dune'))).toContain('WEBSITE');
    expect(parseOodObjectiveReply('WEBSITE: a\nWEBSITE: b\nOBJECTIVE: Find the rating of Dune').ok).toBe(false);
    expect(errorOf(parseOodObjectiveReply('WEBSITE: IMDb\nOBJECTIVE: What is the price of Sprite Yoga Ball', examples))).toContain('copies');
    expect(parseOodObjectiveReply('WEBSITE: IMDb (imdb.com)\nOBJECTIVE: Find the rating of Casablanca')).toEqual({ ok: true, value: { website: 'IMDb (imdb.com)', objective: 'Find the rating of Casablanca' } });
  });
});

describe('OOD plan prompt', () => {
  it('round-trips a formatted plan and the local model writes one that ends with stop', () => {
    expect(parseOodPlanReply(formatPlan(plan))).toEqual({ ok: true, value: plan });
    const parsed = parseOodPlanReply(ask(buildOodPlanMessages({ website: 'Goodreads', objective: 'What is the average rating of Dune' })));
    expect(parsed.ok && parsed.value.at(-1)?.verb).toBe('stop');
  });
  it('rejects unknown verbs, empty plans and plans that do not end with stop', () => {
    expect(parseOodPlanReply('1. jump around\n2. stop')).toMatchObject({ ok: false });
    expect(parseOodPlanReply('no steps here')).toMatchObject({ ok: false, error: 'the plan has no numbered steps' });
    expect(parseOodPlanReply('1. click the link')).toMatchObject({ ok: false, error: 'the last plan step is not stop' });
  });
});

describe('OOD URL prompt', () => {
  it('names the step and the local model answers with an absolute URL', () => {
    const messages = buildOodUrlMessages({ website: 'Goodreads (goodreads.com)', objective: 'What is the rating of Dune', plan, stepIndex: 1 });
    expect(messages.at(-1)?.content).toContain('STEP: 2');
    const parsed = parseOodUrlReply(ask(messages));
    expect(parsed.ok && parsed.value).toMatch(/^https:\/\/www\.goodreads\.com\//);
  });
  it('rejects relative URLs, other schemes and steps beyond the plan', () => {
    expect(parseOodUrlReply('URL: /search?q=x').ok).toBe(false);
    expect(parseOodUrlReply('URL: ftp://x.org/').ok).toBe(false);
    expect(() => buildOodUrlMessages({ website: 'x', objective: 'y', plan, stepIndex: 3 })).toThrow(/beyond the 3-step plan/);
  });
});

describe('OOD previous/next action prompt', () => {
  const input = { website: 'Goodreads', objective: 'What is the rating of Dune', url: 'https://www.goodreads.com/search?q=Dune', plan, stepIndex: 1, examples: [{ previousAction: 'None', response: "Let's think. In summary, the next action I will perform is ```click [12]```" }] };
  it('shows the few-shot examples and the local model writes a response with one allowed, parsable action', () => {
    const messages = buildOodActionsMessages(input);
    expect(messages.at(-1)?.content).toContain('Example 1:');
    const parsed = parseOodActionsReply(ask(messages));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.action.name).toBe('click');
      expect(parsed.value.previousAction).toMatch(/^type \[\d+\] \[Dune\] \[1\]$/);
    }
  });
  it('rejects two fenced blocks, a missing summary phrase, unparsable or disallowed actions', () => {
    const good = "PREVIOUS ACTION: None\nNEXT ACTION:\nI search. In summary, the next action I will perform is ```type [5] [Dune] [1]```";
    expect(parseOodActionsReply(good).ok).toBe(true);
    expect(parseOodActionsReply(`${good} and then \`\`\`click [6]\`\`\``)).toMatchObject({ ok: false });
    expect(parseOodActionsReply(good.replace('In summary, the next action I will perform is', 'So:'))).toMatchObject({ ok: false });
    expect(parseOodActionsReply(good.replace('type [5] [Dune] [1]', 'click [five]'))).toMatchObject({ ok: false });
    expect(errorOf(parseOodActionsReply(good.replace('type [5] [Dune] [1]', 'goto [https://x.org]')))).toContain('not allowed');
    expect(parseOodActionsReply(good.replace('PREVIOUS ACTION: None\n', ''))).toMatchObject({ ok: false });
  });
});

describe('OOD page prompt', () => {
  it('asks for the required id and the local model writes a page holding it', () => {
    const nextResponse = "I open it. In summary, the next action I will perform is ```click [4321]```";
    const messages = buildOodPageMessages({ website: 'Goodreads (goodreads.com)', objective: 'What is the rating of Dune', url: 'https://www.goodreads.com/search?q=Dune', previousAction: 'type [12] [Dune] [1]', nextResponse, requiredId: '4321' });
    expect(messages.at(-1)?.content).toContain('[4321]');
    const parsed = parseOodPageReply(ask(messages), '4321');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatch(/^Tab 0 \(current\): /);
  });
  it('rejects pages without the header, too few elements, repeated ids or without the required id', () => {
    const page = "Tab 0 (current): Dune\n\n[1] RootWebArea 'Dune'\n\t[2] link 'Home'\n\t[3] link 'Dune'";
    expect(parseOodPageReply(page, '3').ok).toBe(true);
    expect(errorOf(parseOodPageReply(page, '9'))).toContain('[9]');
    expect(parseOodPageReply(page.replace('Tab 0 (current): Dune\n', ''), null).ok).toBe(false);
    expect(parseOodPageReply("Tab 0 (current): x\n[1] link 'a'", null).ok).toBe(false);
    expect(parseOodPageReply(page.replace('[3]', '[2]'), null)).toMatchObject({ ok: false, error: 'the page repeats an element id' });
  });
});

describe('trajectory critic prompt', () => {
  it('lists the steps and the local model calls a clean answer plausible and a looping one implausible', () => {
    const clean = buildTrajectoryCriticMessages({ objective: 'What is the price of Sprite Yoga Ball', steps: [{ url: 'http://shop/', action: 'type [3] [Sprite Yoga Ball] [1]' }, { url: 'http://shop/p', action: 'stop [$23.50]' }], answer: '$23.50' });
    expect(clean.at(-1)?.content).toContain('1. type [3] [Sprite Yoga Ball] [1] (at http://shop/)');
    expect(parseTrajectoryCriticReply(ask(clean))).toEqual({ ok: true, value: 'plausible' });
    const looping = buildTrajectoryCriticMessages({ objective: 'x', steps: Array.from({ length: 3 }, () => ({ url: 'http://shop/', action: 'click [4]' })), answer: null });
    expect(parseTrajectoryCriticReply(ask(looping))).toEqual({ ok: true, value: 'implausible' });
  });
  it('rejects a reply whose last line is not a verdict', () => {
    expect(parseTrajectoryCriticReply('VERDICT: plausible\nthanks')).toMatchObject({ ok: false });
    expect(parseTrajectoryCriticReply('looks fine\nverdict: Implausible')).toEqual({ ok: true, value: 'implausible' });
  });
});
