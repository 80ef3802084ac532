// Out-of-domain synthesis, METHOD.md step 4: objective + website (near-duplicates rejected), plan,
// step choice, URL, previous and next action, page; each call retried until its reply passes the
// format checks (with a cap). Nothing is executed: OOD examples are never checked for correctness.
import type OpenAI from 'openai';
import { buildAgentMessages } from '../../agent/prompt';
import type { ChatMessage } from '../../domain/trajectory';
import { createSeededRandom, type SeededRandom } from '../../mixtures/seeded-random';
import { buildOodActionsMessages, parseOodActionsReply } from '../../prompts/ood-actions';
import { buildOodObjectiveMessages, parseOodObjectiveReply } from '../../prompts/ood-objective';
import { buildOodPageMessages, parseOodPageReply } from '../../prompts/ood-page';
import { buildOodPlanMessages, parseOodPlanReply } from '../../prompts/ood-plan';
import { buildOodUrlMessages, parseOodUrlReply } from '../../prompts/ood-url';
import type { ReplyCheck } from '../../prompts/reply-check';

/** Cosine similarity at or above which a new objective counts as a near-duplicate (METHOD.md). */
export const NEAR_DUPLICATE_SIMILARITY = 0.7;

export interface OodModel {
  client: OpenAI;
  model: string;
  embeddings: { client: OpenAI; model: string };
}

export interface OodCallRecord {
  call: string;
  attempts: number;
  messages: ChatMessage[];
  reply: string;
}

/** One synthetic training example with the record of how it was made. */
export interface OodExample {
  messages: ChatMessage[];
  response: string;
  /** The generated page (accessibility tree) the response acts on, and its URL. */
  observation: string;
  url: string;
  objective: string;
  website: string;
  stepIndex: number;
  calls: OodCallRecord[];
}

export type OodOutcome = { ok: true; example: OodExample; embedding: number[] } | { ok: false; reason: string; calls: OodCallRecord[] };

/** Step k: the first, the last and the intermediate steps as a group are equally likely (METHOD.md step 4.3). */
export function chooseStepIndex(planLength: number, random: SeededRandom): number {
  if (planLength <= 1) return 0;
  if (planLength === 2) return random.integer(0, 1);
  const group = random.integer(0, 2);
  if (group === 0) return 0;
  if (group === 1) return planLength - 1;
  return random.integer(1, planLength - 2);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

async function callUntilValid<T>(
  model: OodModel,
  call: string,
  messages: ChatMessage[],
  check: (reply: string) => ReplyCheck<T>,
  options: { maxAttempts: number; seed: number; calls: OodCallRecord[] },
): Promise<T | { failed: string }> {
  let lastError = 'no reply';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt += 1) {
    const completion = await model.client.chat.completions.create({ model: model.model, messages, temperature: 1, max_tokens: 768, seed: options.seed + attempt });
    const reply = completion.choices[0]?.message.content ?? '';
    const checked = check(reply);
    if (checked.ok) {
      options.calls.push({ call, attempts: attempt, messages, reply });
      return checked.value;
    }
    lastError = checked.error;
  }
  return { failed: `${call}: no valid reply in ${options.maxAttempts} attempts (last: ${lastError})` };
}

function failed(value: unknown): value is { failed: string } {
  return typeof value === 'object' && value !== null && 'failed' in value;
}

/**
 * Makes one OOD example. Model calls that throw propagate (the activity is retried); a reply that
 * never passes its checks, or a near-duplicate objective, gives `{ ok: false }` (counted, not retried).
 */
export async function synthesizeOodExample(input: {
  model: OodModel;
  seed: number;
  inDomainObjectives: string[];
  earlierSyntheticObjectives: Array<{ objective: string; embedding: number[] }>;
  fewShot: Array<{ previousAction: string; response: string }>;
  avoidWebsites: string[];
  maxAttemptsPerCall: number;
}): Promise<OodOutcome> {
  const calls: OodCallRecord[] = [];
  const random = createSeededRandom(input.seed, 'ood-example');
  const pick = <T>(items: T[], count: number): T[] => random.shuffle(items).slice(0, count);
  const options = { maxAttempts: input.maxAttemptsPerCall, seed: input.seed * 31, calls };

  const examples = [...pick(input.inDomainObjectives, 4), ...pick(input.earlierSyntheticObjectives.map((entry) => entry.objective), 2)];
  const objective = await callUntilValid(input.model, 'objective', buildOodObjectiveMessages({ examples, avoidWebsites: input.avoidWebsites }),
    (reply) => parseOodObjectiveReply(reply, examples), options);
  if (failed(objective)) return { ok: false, reason: objective.failed, calls };

  const embedded = await input.model.embeddings.client.embeddings.create({ model: input.model.embeddings.model, input: objective.objective });
  const embedding = embedded.data[0]?.embedding ?? [];
  const nearest = Math.max(0, ...input.earlierSyntheticObjectives.map((earlier) => cosine(earlier.embedding, embedding)));
  if (nearest >= NEAR_DUPLICATE_SIMILARITY) return { ok: false, reason: `near-duplicate objective (similarity ${nearest.toFixed(2)})`, calls };

  const plan = await callUntilValid(input.model, 'plan', buildOodPlanMessages(objective), parseOodPlanReply, options);
  if (failed(plan)) return { ok: false, reason: plan.failed, calls };
  const stepIndex = chooseStepIndex(plan.length, random);

  const url = await callUntilValid(input.model, 'url', buildOodUrlMessages({ ...objective, plan, stepIndex }), parseOodUrlReply, options);
  if (failed(url)) return { ok: false, reason: url.failed, calls };

  const actions = await callUntilValid(input.model, 'actions', buildOodActionsMessages({ ...objective, url, plan, stepIndex, examples: pick(input.fewShot, 2) }), parseOodActionsReply, options);
  if (failed(actions)) return { ok: false, reason: actions.failed, calls };

  const requiredId = 'id' in actions.action ? String(actions.action.id) : null;
  const page = await callUntilValid(input.model, 'page',
    buildOodPageMessages({ ...objective, url, previousAction: actions.previousAction, nextResponse: actions.response, requiredId }),
    (reply) => parseOodPageReply(reply, requiredId), options);
  if (failed(page)) return { ok: false, reason: page.failed, calls };

  return {
    ok: true,
    embedding,
    example: {
      messages: buildAgentMessages({ observation: page, url, objective: objective.objective, previousAction: actions.previousAction }),
      response: actions.response,
      observation: page,
      url,
      objective: objective.objective,
      website: objective.website,
      stepIndex,
      calls,
    },
  };
}
