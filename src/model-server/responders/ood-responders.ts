import { searchPhrasesOf } from '../policy/candidate-actions';
import { readResponseAction, renderAction, type PolicyAction } from '../policy/policy-action';
import { questionKindOf } from '../policy/policy-context';
import type { RandomSource } from '../seeded-random';

/** Real websites the generator writes tasks for, with things one could look up there. */
const WEBSITES = [
  { name: 'Wikipedia (wikipedia.org)', origin: 'https://en.wikipedia.org', entities: ['Marie Curie', 'the Eiffel Tower', 'Mount Kilimanjaro', 'the Danube', 'Ada Lovelace'] },
  { name: 'GitHub (github.com)', origin: 'https://github.com', entities: ['the vuejs/core repository', 'the rust-lang/rust repository', 'the microsoft/TypeScript repository'] },
  { name: 'IMDb (imdb.com)', origin: 'https://www.imdb.com', entities: ['The Matrix', 'Spirited Away', 'Casablanca', 'Amelie'] },
  { name: 'Allrecipes (allrecipes.com)', origin: 'https://www.allrecipes.com', entities: ['banana bread', 'chicken tikka masala', 'lemon drizzle cake'] },
  { name: 'Goodreads (goodreads.com)', origin: 'https://www.goodreads.com', entities: ['Dune', 'Pride and Prejudice', 'The Left Hand of Darkness'] },
  { name: 'Booking.com (booking.com)', origin: 'https://www.booking.com', entities: ['hotels in Lisbon', 'a guesthouse in Kyoto', 'apartments in Oslo'] },
];

function pick<T>(items: readonly T[], random: RandomSource): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}

function labelledValue(text: string, label: string): string {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${label}:`));
  return line === undefined ? '' : line.slice(label.length + 1).trim();
}

function websiteFor(name: string): (typeof WEBSITES)[number] {
  return WEBSITES.find((site) => name.toLowerCase().includes(site.origin.replace(/^https:\/\/(www\.|en\.)?/, '').split('.')[0] ?? '')) ?? WEBSITES[0]!;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'page';
}

/** Writes a new objective for another website by putting one of its entities into an example's wording. */
export function answerOodObjective(userText: string, random: RandomSource): string {
  const examples = userText.split('\n').filter((line) => /^\d+\. /.test(line)).map((line) => line.replace(/^\d+\. /, ''));
  const avoid = /must not be one of: (.*)\.$/m.exec(userText)?.[1]?.toLowerCase() ?? '';
  const sites = WEBSITES.filter((site) => !avoid.includes(site.name.toLowerCase().split(' ')[0] ?? ''));
  const site = pick(sites.length > 0 ? sites : WEBSITES, random);
  const entity = pick(site.entities, random);
  const example = examples.length > 0 ? pick(examples, random) : 'What is the rating of X';
  const phrase = searchPhrasesOf(example).find((candidate) => candidate.source !== 'keywords');
  const objective = phrase ? example.replace(phrase.text, entity) : `Find ${entity} and tell me its rating`;
  return `WEBSITE: ${site.name}\nOBJECTIVE: ${objective === example ? `Find ${entity} and tell me its rating` : objective}`;
}

/** Plans a search-then-open-then-answer (or act) sequence for an objective. */
export function answerOodPlan(userText: string): string {
  const objective = labelledValue(userText, 'OBJECTIVE');
  const phrase = searchPhrasesOf(objective)[0]?.text ?? objective;
  const steps = [`type ${phrase} into the search box`, `click the result for ${phrase}`];
  if (questionKindOf(objective) === 'imperative') steps.push('click the button that carries out the request', 'stop when the page confirms it');
  else steps.push('scroll down to the details', 'stop with the answer shown on the page');
  return steps.map((step, index) => `${index + 1}. ${step}`).join('\n');
}

/** Writes a URL on the website for plan step k. */
export function answerOodUrl(userText: string): string {
  const site = websiteFor(labelledValue(userText, 'WEBSITE'));
  const objective = labelledValue(userText, 'OBJECTIVE');
  const step = Number(labelledValue(userText, 'STEP')) || 1;
  const phrase = searchPhrasesOf(objective)[0]?.text ?? 'item';
  const path = step <= 1 ? '/' : step === 2 ? `/search?q=${encodeURIComponent(phrase).replace(/%20/g, '+')}` : `/${slug(phrase)}`;
  return `URL: ${site.origin}${path}`;
}

function planStep(userText: string, index: number): string {
  return userText.split('\n').find((line) => line.startsWith(`${index}. `))?.slice(`${index}. `.length) ?? '';
}

function actionForStep(step: string, objective: string, random: RandomSource): PolicyAction {
  const id = String(100 + Math.floor(random() * 9000));
  const verb = step.split(' ')[0] ?? 'click';
  const phrase = searchPhrasesOf(objective)[0]?.text ?? objective;
  if (verb === 'type') return { kind: 'type', elementId: id, text: phrase, pressEnter: true };
  if (verb === 'scroll') return { kind: 'scroll', direction: 'down' };
  if (verb === 'stop') {
    const kind = questionKindOf(objective);
    const answer = kind === 'count' ? String(1 + Math.floor(random() * 40)) : kind === 'money' ? `$${(5 + random() * 95).toFixed(2)}` : kind === 'imperative' ? 'Done' : phrase;
    return { kind: 'stop', answer };
  }
  return { kind: 'click', elementId: id };
}

/** Writes the previous action and a next-action response for plan step k. */
export function answerOodActions(userText: string, random: RandomSource): string {
  const objective = labelledValue(userText, 'OBJECTIVE');
  const stepNumber = Number(labelledValue(userText, 'STEP')) || 1;
  const step = planStep(userText, stepNumber);
  const previous = stepNumber > 1 ? renderAction(actionForStep(planStep(userText, stepNumber - 1), objective, random)) : 'None';
  const action = actionForStep(step, objective, random);
  const response = `Let's think step-by-step. The objective is: ${objective}. The next step of the plan is to ${step}. In summary, the next action I will perform is \`\`\`${renderAction(action)}\`\`\``;
  return `PREVIOUS ACTION: ${previous}\nNEXT ACTION:\n${response}`;
}

/** Writes an accessibility-tree page that holds the element the next action uses. */
export function answerOodPage(userText: string, random: RandomSource): string {
  const site = websiteFor(labelledValue(userText, 'WEBSITE'));
  const objective = labelledValue(userText, 'OBJECTIVE');
  const nextAt = userText.indexOf('NEXT ACTION:');
  const action = nextAt >= 0 ? readResponseAction(userText.slice(nextAt)) : null;
  const phrase = searchPhrasesOf(objective)[0]?.text ?? 'Result';
  const title = `${phrase} - ${site.name.split(' (')[0] ?? site.name}`;
  let next = 100 + Math.floor(random() * 50);
  const fresh = (): string => String((next += 1 + Math.floor(random() * 3)));
  const lines = [`Tab 0 (current): ${title}`, '', `[${fresh()}] RootWebArea '${title}' focused: True`, `\t[${fresh()}] link 'Home'`, `\t[${fresh()}] link 'Sign in'`];
  const target = action && 'elementId' in action ? action.elementId : null;
  if (action?.kind === 'type') lines.push(`\t[${target}] searchbox 'Search' required: False`);
  else lines.push(`\t[${fresh()}] searchbox 'Search' required: False`);
  lines.push(`\t[${fresh()}] heading '${phrase}'`);
  if (action?.kind === 'click' || action?.kind === 'hover') lines.push(`\t[${target}] link '${phrase}'`);
  if (action?.kind === 'stop') lines.push(`\t[${fresh()}] StaticText '${action.answer}'`);
  lines.push(`\t[${fresh()}] StaticText 'Results for ${phrase}'`, `\t[${fresh()}] link 'Next page'`);
  return lines.join('\n');
}
