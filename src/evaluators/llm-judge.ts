import { classifyModelError, createModelClient } from '../llm/model-client';
import type { FuzzyMatchVerdict, Judge, UnachievableReasonVerdict } from './judge';

/** Where the judge model lives (any OpenAI-compatible endpoint). */
export interface JudgeEndpoint {
  baseUrl: string;
  model: string;
  apiKeyEnv?: string;
  timeoutMs?: number;
}

/** Deadline for one judge call. */
const JUDGE_TIMEOUT_MS = 60_000;
/** Room for a short reasoning before the verdict line. */
const JUDGE_MAX_TOKENS = 768;
const SYSTEM_PROMPT = 'You grade the answers of a web agent carefully and impartially.';

/** The fuzzy-match prompt: labelled Question / Reference answer / Student answer lines, verdict on the last line. */
export function buildFuzzyMatchPrompt(input: { question: string; reference: string; answer: string }): string {
  return [
    'Decide whether a student answered a question with the same meaning as the reference answer.',
    'Wording, phrasing and formatting may differ; judge the meaning. "N/A" means the task cannot be achieved.',
    `Question: ${input.question}`,
    `Reference answer: ${input.reference}`,
    `Student answer: ${input.answer}`,
    'Give one verdict: correct, incorrect, or partially correct. Put the verdict alone on the last line.',
  ].join('\n');
}

/** The unachievable-task prompt: labelled Task / Actual reason / Reported reason lines, `same` or `different` last. */
export function buildUnachievableReasonPrompt(input: { task: string; actualReason: string; reportedReason: string }): string {
  return [
    'A task cannot be completed, for the actual reason given below. Someone attempted it and reported why they stopped.',
    'Decide whether the reported reason refers to the actual reason, even if only implicitly.',
    `Task: ${input.task}`,
    `Actual reason: ${input.actualReason}`,
    `Reported reason: ${input.reportedReason}`,
    'Answer same or different. Put the verdict alone on the last line.',
  ].join('\n');
}

/** A judge reply whose last line holds no verdict. */
export class JudgeReplyError extends Error {
  override readonly name = 'JudgeReplyError';
  constructor(readonly operation: string, readonly reply: string) {
    super(`${operation}: no verdict on the last line of the judge's reply ${JSON.stringify(reply.slice(-300))}`);
  }
}

function lastLine(reply: string): string {
  const lines = reply.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return (lines.at(-1) ?? '').toLowerCase();
}

/** Reads the fuzzy-match verdict from the reply's last line ("partially correct" and "incorrect" checked first). */
export function readFuzzyMatchVerdict(reply: string): FuzzyMatchVerdict {
  const line = lastLine(reply);
  if (line.includes('partially correct')) return 'partially correct';
  if (line.includes('incorrect')) return 'incorrect';
  if (line.includes('correct')) return 'correct';
  throw new JudgeReplyError('fuzzy-match judge', reply);
}

/** Reads the unachievable-reason verdict from the reply's last line. */
export function readUnachievableReasonVerdict(reply: string): UnachievableReasonVerdict {
  const line = lastLine(reply);
  if (line.includes('different')) return 'different';
  if (line.includes('same')) return 'same';
  throw new JudgeReplyError('unachievable-reason judge', reply);
}

/** A Judge backed by a chat model at temperature 0 (retries are Temporal's, so the client makes none). */
export function createModelJudge(endpoint: JudgeEndpoint): Judge {
  const client = createModelClient({ ...endpoint, timeoutMs: endpoint.timeoutMs ?? JUDGE_TIMEOUT_MS });
  async function ask(operation: string, prompt: string): Promise<string> {
    try {
      const completion = await client.chat.completions.create({
        model: endpoint.model,
        temperature: 0,
        max_tokens: JUDGE_MAX_TOKENS,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: prompt },
        ],
      });
      const content = completion.choices[0]?.message.content;
      if (typeof content !== 'string') throw new JudgeReplyError(operation, JSON.stringify(completion.choices[0] ?? null));
      return content;
    } catch (error) {
      if (error instanceof JudgeReplyError) throw error;
      throw classifyModelError(error, `${operation} (${endpoint.model} at ${endpoint.baseUrl})`);
    }
  }
  return {
    async fuzzyMatch(input) {
      return readFuzzyMatchVerdict(await ask('fuzzy-match judge', buildFuzzyMatchPrompt(input)));
    },
    async unachievableReason(input) {
      return readUnachievableReasonVerdict(await ask('unachievable-reason judge', buildUnachievableReasonPrompt(input)));
    },
  };
}
