import type { AgentPromptView } from '../agent-prompt';
import { cosineOfNormalised, embedText } from '../lexical-embedding';
import { sampleIndex, type SamplingSettings } from '../sampling';
import { candidateActions, type Candidate, type FeatureVector, type RecallHints } from './candidate-actions';
import { readResponseAction, renderAction, type PolicyAction } from './policy-action';
import { buildPolicyContext, type PolicyContext } from './policy-context';
import type { Demonstration, PolicyParameters } from './policy-model';

/** Objective similarity above which another task's typed text or answer is offered as a candidate. */
const RECALL_HINT_SIMILARITY = 0.5;
/** Page overlap above which a demonstration on the same objective and URL counts as the same situation. */
const SAME_PAGE_OVERLAP = 0.7;
/** Prompt similarity above which a demonstrated reply to a non-agent prompt is recalled. */
const SAME_TEXT_PROMPT_SIMILARITY = 0.97;

/** How a reply was produced: recalled from a near-identical demonstration or scored over candidates. */
export type DecisionSource = 'recall' | 'scorer';

/** One agent step's decision. */
export interface AgentDecision {
  action: PolicyAction;
  response: string;
  source: DecisionSource;
}

/** The lookup key of an objective: case and spacing do not matter. */
export function objectiveKeyOf(objective: string): string {
  return objective.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The text a non-agent prompt is recalled by: every message as `role: content`. */
export function promptKeyOf(messages: ReadonlyArray<{ role: string; content: string }>): string {
  return messages.map((message) => `${message.role}: ${message.content}`).join('\n');
}

/** A URL without scheme and host. */
export function urlKeyOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url;
  }
}

/** The `role:name` signature of a page. */
export function pageSignatureOf(view: AgentPromptView): string[] {
  return view.observation.nodes.slice(0, 120).map((node) => `${node.role}:${node.name}`);
}

function overlap(a: readonly string[], b: ReadonlySet<string>): number {
  if (a.length === 0 && b.size === 0) return 1;
  const setA = new Set(a);
  let shared = 0;
  for (const item of setA) if (b.has(item)) shared += 1;
  return shared / Math.max(1, new Set([...setA, ...b]).size);
}

function remapIds(response: string, fromId: string, toId: string): string {
  return fromId === toId ? response : response.split(`[${fromId}]`).join(`[${toId}]`);
}

/** Writes the chain-of-thought reply for a chosen candidate. */
export function renderAgentResponse(context: PolicyContext, candidate: Candidate): string {
  const where = context.title ? `I am on the page '${context.title}' (${context.url}).` : `I am at ${context.url}.`;
  return `Let's think step-by-step. The objective is: ${context.objective}. ${where} ${candidate.rationale} In summary, the next action I will perform is \`\`\`${renderAction(candidate.action)}\`\`\``;
}

interface IndexedDemonstration {
  demonstration: Demonstration;
  objectiveKey: string;
  objectiveEmbedding: number[];
  action: PolicyAction | null;
}

/** A loaded policy: scorer weights and recall memory, ready to answer agent prompts. */
export class Policy {
  readonly weights: Map<string, number>;
  private readonly demonstrations: IndexedDemonstration[];
  private readonly textRecall: Array<{ prompt: string; response: string; embedding: number[] }>;

  constructor(readonly parameters: PolicyParameters) {
    this.weights = new Map(Object.entries(parameters.weights));
    this.demonstrations = parameters.demonstrations.map((demonstration) => ({
      demonstration,
      objectiveKey: objectiveKeyOf(demonstration.objective),
      objectiveEmbedding: embedText(demonstration.objective),
      action: readResponseAction(demonstration.response),
    }));
    this.textRecall = parameters.textRecall.map((entry) => ({ ...entry, embedding: embedText(entry.prompt) }));
  }

  /** The linear score of a feature vector. */
  score(features: FeatureVector): number {
    let total = 0;
    for (const [name, value] of features) total += (this.weights.get(name) ?? 0) * value;
    return total;
  }

  /** Typed texts and answers demonstrated on similar objectives (other than the excluded one). */
  recallHints(objective: string, excludeObjectiveKey?: string): RecallHints {
    if (this.demonstrations.length === 0) return { typedTexts: [], answers: [] };
    const embedding = embedText(objective);
    const typed = new Map<string, number>();
    const answers = new Map<string, number>();
    for (const entry of this.demonstrations) {
      if (entry.objectiveKey === excludeObjectiveKey || entry.action === null) continue;
      if (entry.action.kind !== 'type' && entry.action.kind !== 'stop') continue;
      const similarity = cosineOfNormalised(embedding, entry.objectiveEmbedding);
      if (similarity < RECALL_HINT_SIMILARITY) continue;
      const bucket = entry.action.kind === 'type' ? typed : answers;
      const text = entry.action.kind === 'type' ? entry.action.text : entry.action.answer;
      bucket.set(text, Math.max(bucket.get(text) ?? 0, similarity));
    }
    const ranked = (bucket: Map<string, number>): Array<[string, number]> => [...bucket.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return {
      typedTexts: ranked(typed).map(([text, similarity]) => ({ text, similarity })),
      answers: ranked(answers).map(([answer, similarity]) => ({ answer, similarity })),
    };
  }

  /** Demonstrated replies for this very situation (same objective, URL, previous action kind, near-identical page), mapped onto this page. */
  recallDemonstrated(view: AgentPromptView, context: PolicyContext): Array<{ response: string; action: PolicyAction }> {
    const objectiveKey = objectiveKeyOf(view.objective);
    const urlKey = urlKeyOf(view.url);
    const page = new Set(pageSignatureOf(view));
    const recalled: Array<{ response: string; action: PolicyAction }> = [];
    for (const entry of this.demonstrations) {
      const { demonstration } = entry;
      if (entry.action === null || entry.objectiveKey !== objectiveKey || demonstration.urlKey !== urlKey || demonstration.previousKind !== context.previousKind) continue;
      if (overlap(demonstration.page, page) < SAME_PAGE_OVERLAP) continue;
      if (demonstration.target === null) {
        recalled.push({ response: demonstration.response, action: entry.action });
        continue;
      }
      const { role, name, id } = demonstration.target;
      const node = view.observation.nodes.find((candidate) => candidate.role === role && candidate.name === name);
      if (!node) continue;
      const response = remapIds(demonstration.response, id, node.id);
      const action = readResponseAction(response);
      if (action) recalled.push({ response, action });
    }
    return recalled;
  }

  /** A demonstrated reply to a near-identical non-agent prompt, if any. */
  recallText(prompt: string, settings: SamplingSettings): string | null {
    if (this.textRecall.length === 0) return null;
    const embedding = embedText(prompt);
    const matches = this.textRecall.filter((entry) => entry.prompt === prompt || cosineOfNormalised(embedding, entry.embedding) >= SAME_TEXT_PROMPT_SIMILARITY);
    if (matches.length === 0) return null;
    const pick = settings.temperature <= 0 ? 0 : Math.floor(settings.random() * matches.length);
    return matches[pick]?.response ?? null;
  }

  /** Decides the next agent action for a prompt: recall when the situation was demonstrated, else score candidates. */
  decide(view: AgentPromptView, settings: SamplingSettings): AgentDecision {
    const context = buildPolicyContext(view);
    const recalled = this.recallDemonstrated(view, context);
    if (recalled.length > 0) {
      const pick = settings.temperature <= 0 ? mostCommon(recalled.map((entry) => renderAction(entry.action))) : Math.floor(settings.random() * recalled.length);
      const chosen = recalled[pick] ?? recalled[0];
      if (chosen) return { ...chosen, source: 'recall' };
    }
    const candidates = candidateActions(context, this.recallHints(view.objective));
    const scores = candidates.map((candidate) => this.score(candidate.features));
    const chosen = candidates[sampleIndex(scores, settings)];
    if (!chosen) throw new Error(`policy decide: no candidate actions for ${view.url}`);
    return { action: chosen.action, response: renderAgentResponse(context, chosen), source: 'scorer' };
  }
}

function mostCommon(texts: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  let best = 0;
  texts.forEach((text, index) => {
    if ((counts.get(text) ?? 0) > (counts.get(texts[best] ?? '') ?? 0)) best = index;
  });
  return best;
}
