import { CLICKABLE_ROLES, TYPEABLE_ROLES, type TreeNode } from '../accessibility-tree';
import { keyWordsOf } from '../text-words';
import type { PolicyAction } from './policy-action';
import type { PolicyContext } from './policy-context';

/** A sparse feature vector: (feature name, value) pairs. */
export type FeatureVector = Array<[string, number]>;

/** One action the policy could take on this page, with the features it is scored by. */
export interface Candidate {
  action: PolicyAction;
  features: FeatureVector;
  /** Why this action, in words; becomes the reasoning of the response. */
  rationale: string;
  /** The element acted on, when there is one. */
  target?: TreeNode;
}

/** Texts and answers recalled from demonstrations on similar objectives. */
export interface RecallHints {
  typedTexts: Array<{ text: string; similarity: number }>;
  answers: Array<{ answer: string; similarity: number }>;
}

export const NO_RECALL: RecallHints = { typedTexts: [], answers: [] };

const TEXT_ROLES = new Set(['StaticText', 'cell', 'gridcell', 'heading', 'paragraph', 'listitem', 'term', 'definition', 'rowheader', 'columnheader', 'LabelText', 'status', 'alert', 'text', 'time', 'strong', 'emphasis', 'link']);
const MAX_ANSWERS = 60;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DATE_PATTERN = new RegExp(`\\b(\\d{4}-\\d{2}-\\d{2}|${MONTH} \\d{1,2},? \\d{4}|\\d{1,2} ${MONTH},? \\d{4}|\\d{1,2}/\\d{1,2}/\\d{2,4})\\b`, 'gi');
const MONEY_PATTERN = /-?\$\s?\d[\d,]*(?:\.\d+)?/g;
const NUMBER_PATTERN = /(?<![\w.$])\d[\d,]*(?:\.\d+)?(?![\w$])/g;
const SUCCESS_PATTERN = /\b(success|successfully|added|saved|submitted|thank you|has been|was created|was posted|updated|deleted|placed)\b/i;

function bucket(count: number): string {
  return count <= 0 ? '0' : count === 1 ? '1' : '2+';
}

function hitsOf(words: readonly string[], objective: Set<string>): number {
  let hits = 0;
  for (const word of words) if (objective.has(word)) hits += 1;
  return hits;
}

function quoted(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Phrases from the objective worth typing into a search box, each with where it came from. */
export function searchPhrasesOf(objective: string): Array<{ text: string; source: string }> {
  const phrases: Array<{ text: string; source: string }> = [];
  const add = (text: string, source: string): void => {
    const cleaned = text.trim().replace(/^(the|a|an|my|our)\s+/i, '').replace(/[?.!,;:]+$/, '').trim();
    if (cleaned.length >= 2 && cleaned.length <= 80 && !phrases.some((phrase) => phrase.text.toLowerCase() === cleaned.toLowerCase())) phrases.push({ text: cleaned, source });
  };
  for (const match of objective.matchAll(/["“]([^"”]{2,80})["”]|(?<![\w])'([^']{2,80})'(?![\w])/g)) add(match[1] ?? match[2] ?? '', 'quoted');
  const marker = /\b(?:search for|look up|look for|of|for|about|named|called|titled|by)\s+(.+?)(?=[?.,;!]|\s+(?:in|on|with|from|and|to|that|which|since|during|under|over)\s|$)/gi;
  for (const match of objective.matchAll(marker)) add(match[1] ?? '', 'phrase');
  const capitalised = objective.match(/\b[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|\d[\w-]*|of|and|&))*\s*[A-Z\d][\w'-]*|\b[A-Z][a-z][\w'-]{2,}/g) ?? [];
  for (const phrase of capitalised.slice(1)) add(phrase, 'capitalised');
  add(keyWordsOf(objective).slice(0, 5).join(' '), 'keywords');
  return phrases.slice(0, 5);
}

/**
 * Whether `node` is the element the previous action used: the same id, and the same role and name
 * when the previous action line says them. Ids number an observation's elements (by tree position
 * by default), so the same id on another page is another element.
 */
function isPreviousElement(context: PolicyContext, previousId: string, node: TreeNode): boolean {
  return previousId === node.id && (context.previousTarget === null || context.previousTarget === `${node.role}:${node.name}`);
}

function clickCandidates(context: PolicyContext, pageMaxHits: number): Candidate[] {
  const candidates: Candidate[] = [];
  const objectiveWords = context.objectiveWords.slice(0, 10);
  for (const node of context.nodes) {
    if (!CLICKABLE_ROLES.has(node.role) || node.name.trim() === '') continue;
    const nameWords = keyWordsOf(node.name).slice(0, 6);
    const hits = hitsOf(nameWords, context.objectiveSet);
    const features: FeatureVector = [
      ['click', 1],
      [`click|role=${node.role}`, 1],
      ['click|hits', Math.min(hits, 4)],
      ['click|cover', nameWords.length === 0 ? 0 : hits / nameWords.length],
      ['click|objective_cover', context.objectiveWords.length === 0 ? 0 : hits / context.objectiveWords.length],
      [`click|prev=${context.previousKind}`, 1],
      [`click|page_max_hits=${bucket(pageMaxHits)}`, 1],
      [`click|q=${context.questionKind}`, 1],
    ];
    if (hits === 0) features.push(['click|no_hits', 1]);
    if (hits > 0 && hits === pageMaxHits) features.push(['click|best_on_page', 1]);
    if (nameWords.length > 0 && nameWords.every((word) => context.urlWords.has(word))) features.push(['click|name_in_url', 1]);
    if (context.title !== '' && node.name.trim().toLowerCase() === context.title.trim().toLowerCase()) features.push(['click|name_is_title', 1]);
    if (context.previous && 'elementId' in context.previous && isPreviousElement(context, context.previous.elementId, node)) features.push(['click|prev_same_element', 1]);
    if (context.previousTarget === `${node.role}:${node.name}`) features.push(['click|prev_same_name', 1]);
    for (const word of nameWords) {
      features.push([`click|name:${word}`, 1]);
      features.push([`click|url=${context.urlSection}|name:${word}`, 1]);
      for (const objectiveWord of objectiveWords) features.push([`click|obj:${objectiveWord}|name:${word}`, 1]);
    }
    const matched = nameWords.filter((word) => context.objectiveSet.has(word));
    candidates.push({
      action: { kind: 'click', elementId: node.id },
      features,
      target: node,
      rationale: matched.length > 0
        ? `The ${node.role} [${node.id}] '${quoted(node.name)}' matches the objective's words ${matched.map((word) => `'${word}'`).join(', ')}, so opening it should bring me closer to the goal.`
        : `The ${node.role} [${node.id}] '${quoted(node.name)}' looks like the most promising way forward from this page.`,
    });
  }
  return candidates;
}

function typeCandidates(context: PolicyContext, recall: RecallHints): Candidate[] {
  const candidates: Candidate[] = [];
  const texts = [
    ...searchPhrasesOf(context.objective).map((phrase) => ({ ...phrase, similarity: 0 })),
    ...recall.typedTexts.slice(0, 3).map((hint) => ({ text: hint.text, source: 'recalled', similarity: hint.similarity })),
  ];
  for (const node of context.nodes) {
    if (!TYPEABLE_ROLES.has(node.role)) continue;
    const fieldWords = keyWordsOf(`${node.name} ${node.properties}`).slice(0, 5);
    const isSearch = /search/i.test(`${node.name} ${node.properties} ${node.role}`);
    for (const { text, source, similarity } of texts) {
      const textWords = keyWordsOf(text);
      const features: FeatureVector = [
        ['type', 1],
        [`type|role=${node.role}`, 1],
        [`type|src=${source}`, 1],
        [`type|prev=${context.previousKind}`, 1],
        [`type|q=${context.questionKind}`, 1],
        [`type|url=${context.urlSection}`, 1],
      ];
      if (isSearch) features.push(['type|search_field', 1]);
      if (source === 'recalled') features.push(['type|recalled_similarity', similarity]);
      if (textWords.length > 0 && textWords.every((word) => context.urlWords.has(word))) features.push(['type|text_in_url', 1]);
      if (context.previous?.kind === 'type') features.push(['type|after_type', 1]);
      if (context.previous?.kind === 'type' && isPreviousElement(context, context.previous.elementId, node)) features.push(['type|same_field_again', 1]);
      for (const word of fieldWords) {
        features.push([`type|field:${word}`, 1]);
        features.push([`type|src=${source}|field:${word}`, 1]);
      }
      candidates.push({
        action: { kind: 'type', elementId: node.id, text, pressEnter: true },
        features,
        target: node,
        rationale: `There is a ${node.role} [${node.id}]${node.name ? ` '${quoted(node.name)}'` : ''}. Typing '${text}' into it and pressing Enter should show what the objective asks about.`,
      });
    }
  }
  return candidates;
}

interface AnswerEvidence {
  answer: string;
  answerType: string;
  node: TreeNode;
  labelWords: string[];
}

function answerEvidenceOf(nodes: readonly TreeNode[]): AnswerEvidence[] {
  const found: AnswerEvidence[] = [];
  const seen = new Set<string>();
  const add = (answer: string, answerType: string, node: TreeNode, labelWords: string[]): void => {
    const trimmed = answer.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === '' || trimmed.length > 100 || seen.has(key) || found.length >= MAX_ANSWERS * 2) return;
    seen.add(key);
    found.push({ answer: trimmed, answerType, node, labelWords });
  };
  nodes.forEach((node, index) => {
    if (!TEXT_ROLES.has(node.role) || node.name.trim() === '') return;
    const before = nodes.slice(Math.max(0, index - 2), index).map((previous) => previous.name).join(' ');
    const labelled = /^([^:]{1,40}):\s*(.+)$/.exec(node.name);
    const labelWords = keyWordsOf(`${labelled?.[1] ?? ''} ${before}`);
    if (labelled?.[2]) add(labelled[2].replace(/[.,;]+$/, ''), 'labelled', node, labelWords);
    for (const match of node.name.matchAll(MONEY_PATTERN)) add(match[0].replace(/\s/g, ''), 'money', node, labelWords);
    for (const match of node.name.matchAll(DATE_PATTERN)) add(match[0], 'date', node, labelWords);
    for (const match of node.name.matchAll(NUMBER_PATTERN)) add(match[0], 'number', node, labelWords);
    if (node.name.length <= 80 && node.role !== 'link') add(node.name, 'line', node, labelWords);
    if (node.role === 'link' && node.name.length <= 80) add(node.name, 'link_text', node, labelWords);
  });
  return found;
}

function stopCandidates(context: PolicyContext, pageMaxHits: number, recall: RecallHints): Candidate[] {
  const candidates: Candidate[] = [];
  const q = context.questionKind;
  const nodeHits = context.nodes.map((node) => hitsOf(keyWordsOf(node.name), context.objectiveSet));
  const pageText = context.nodes.map((node) => node.name).join('\n').toLowerCase();
  for (const evidence of answerEvidenceOf(context.nodes).slice(0, MAX_ANSWERS)) {
    const line = evidence.node.line;
    const nearHits = Math.max(0, ...nodeHits.slice(Math.max(0, line - 4), line + 1));
    const answerWords = keyWordsOf(evidence.answer);
    const selfHits = hitsOf(answerWords, context.objectiveSet);
    const labelHits = hitsOf(evidence.labelWords, context.objectiveSet);
    const features: FeatureVector = [
      ['stop', 1],
      ['stop|answer', 1],
      [`stop|atype=${evidence.answerType}|q=${q}`, 1],
      [`stop|prev=${context.previousKind}`, 1],
      ['stop|near_hits', Math.min(nearHits, 4)],
      ['stop|self_cover', answerWords.length === 0 ? 0 : selfHits / answerWords.length],
      [`stop|url=${context.urlSection}|q=${q}`, 1],
    ];
    if (labelHits > 0) features.push(['stop|label_match', Math.min(labelHits, 3)]);
    if (evidence.answer.split(/\s+/).length > 8) features.push(['stop|long_answer', 1]);
    for (const word of evidence.labelWords.slice(0, 4)) features.push([`stop|label:${word}|q=${q}`, 1]);
    for (const word of context.objectiveWords.slice(0, 8)) features.push([`stop|obj:${word}|atype=${evidence.answerType}`, 1]);
    candidates.push({
      action: { kind: 'stop', answer: evidence.answer },
      features,
      target: evidence.node,
      rationale: `The page shows '${quoted(evidence.node.name)}', which answers the objective. The answer is '${evidence.answer}'.`,
    });
  }
  for (const hint of recall.answers.slice(0, 3)) {
    if (candidates.some((candidate) => candidate.action.kind === 'stop' && candidate.action.answer === hint.answer)) continue;
    const onPage = hint.answer.trim() !== '' && pageText.includes(hint.answer.toLowerCase());
    const features: FeatureVector = [['stop', 1], ['stop|answer', 1], [`stop|atype=recalled|q=${q}`, 1], ['stop|recalled_similarity', hint.similarity], [`stop|prev=${context.previousKind}`, 1]];
    if (onPage) features.push(['stop|recalled_on_page', 1]);
    candidates.push({ action: { kind: 'stop', answer: hint.answer }, features, rationale: `This is the same kind of question I have answered before, and the answer is '${hint.answer}'.` });
  }
  const success = context.nodes.some((node) => SUCCESS_PATTERN.test(node.name));
  const doneFeatures: FeatureVector = [['stop', 1], ['stop|done', 1], [`stop|done|q=${q}`, 1], [`stop|done|prev=${context.previousKind}`, 1]];
  if (success) doneFeatures.push(['stop|done|success_message', 1]);
  candidates.push({ action: { kind: 'stop', answer: 'Done' }, features: doneFeatures, rationale: 'The page confirms the change the objective asked for, so the task is complete.' });
  const unachievable: FeatureVector = [['stop', 1], ['stop|na', 1], [`stop|na|q=${q}`, 1], [`stop|na|prev=${context.previousKind}`, 1], [`stop|na|page_max_hits=${bucket(pageMaxHits)}`, 1]];
  candidates.push({ action: { kind: 'stop', answer: 'N/A' }, features: unachievable, rationale: 'Nothing on this site matches what the objective asks for, so I believe the task cannot be done here.' });
  if (q === 'yesno') {
    for (const answer of ['Yes', 'No']) {
      candidates.push({ action: { kind: 'stop', answer }, features: [['stop', 1], [`stop|${answer.toLowerCase()}`, 1], [`stop|${answer.toLowerCase()}|page_max_hits=${bucket(pageMaxHits)}`, 1]], rationale: `From what the page shows, the answer to the question is ${answer.toLowerCase()}.` });
    }
  }
  return candidates;
}

function navigationCandidates(context: PolicyContext, pageMaxHits: number): Candidate[] {
  return [
    {
      action: { kind: 'scroll', direction: 'down' },
      features: [['scroll', 1], [`scroll|prev=${context.previousKind}`, 1], [`scroll|page_max_hits=${bucket(pageMaxHits)}`, 1], [`scroll|url=${context.urlSection}`, 1]],
      rationale: 'Nothing visible matches the objective well enough yet, so I will scroll down to see more of the page.',
    },
    {
      action: { kind: 'go_back' },
      features: [['go_back', 1], [`go_back|prev=${context.previousKind}`, 1], [`go_back|page_max_hits=${bucket(pageMaxHits)}`, 1]],
      rationale: 'This page does not lead towards the objective, so I will go back to the previous page.',
    },
  ];
}

/** Every action the policy considers on this page, each with its features. */
export function candidateActions(context: PolicyContext, recall: RecallHints = NO_RECALL): Candidate[] {
  let pageMaxHits = 0;
  for (const node of context.nodes) pageMaxHits = Math.max(pageMaxHits, hitsOf(keyWordsOf(node.name), context.objectiveSet));
  return [
    ...clickCandidates(context, pageMaxHits),
    ...typeCandidates(context, recall),
    ...stopCandidates(context, pageMaxHits, recall),
    ...navigationCandidates(context, pageMaxHits),
  ];
}

/** Features for an action the policy would not have proposed itself (a demonstration's goto, press, odd text). */
export function featuresOfUnproposedAction(context: PolicyContext, action: PolicyAction): FeatureVector {
  return [[`${action.kind}`, 1], [`${action.kind}|unproposed`, 1], [`${action.kind}|prev=${context.previousKind}`, 1], [`${action.kind}|q=${context.questionKind}`, 1], [`${action.kind}|url=${context.urlSection}`, 1]];
}
