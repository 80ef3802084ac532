import { z } from 'zod';
import type { TrainingExample } from './training-example';

/** One message of an OpenAI chat fine-tuning line; `weight` (0/1) marks whether an assistant turn is trained on. */
export const fineTuneMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  name: z.string().min(1).optional(),
  weight: z.union([z.literal(0), z.literal(1)]).optional(),
});

/** One line of an OpenAI chat fine-tuning JSONL file: the prompt turns followed by the target assistant turn. */
export const fineTuneRecordSchema = z.strictObject({
  messages: z.array(fineTuneMessageSchema).min(2, 'needs at least a user message and the assistant reply'),
}).superRefine((record, context) => {
  const lastIndex = record.messages.length - 1;
  if (record.messages[lastIndex]?.role !== 'assistant') {
    context.addIssue({ code: 'custom', path: ['messages', lastIndex, 'role'], message: 'the last message must be the assistant reply to train on' });
  }
  if (!record.messages.some((message) => message.role === 'user')) {
    context.addIssue({ code: 'custom', path: ['messages'], message: 'needs at least one user message' });
  }
  record.messages.forEach((message, index) => {
    if (message.weight !== undefined && message.role !== 'assistant') {
      context.addIssue({ code: 'custom', path: ['messages', index, 'weight'], message: 'weight is only allowed on assistant messages' });
    }
  });
});
export type FineTuneRecord = z.infer<typeof fineTuneRecordSchema>;

/** One bad line: 1-based line number, dotted field path ("" for the whole line), what is wrong. */
export interface JsonlProblem {
  line: number;
  field: string;
  message: string;
}

/** How many problems an error message lists before summarising the rest. */
const LISTED_PROBLEMS = 20;

/** A chat JSONL file that does not validate; `problems` holds every bad line found. */
export class ChatJsonlError extends Error {
  override readonly name = 'ChatJsonlError';
  constructor(readonly source: string, readonly problems: JsonlProblem[]) {
    const listed = problems.slice(0, LISTED_PROBLEMS).map((problem) => `  ${source} line ${problem.line}${problem.field ? ` ${problem.field}` : ''}: ${problem.message}`);
    const more = problems.length > LISTED_PROBLEMS ? [`  ... and ${problems.length - LISTED_PROBLEMS} more`] : [];
    super(`invalid chat fine-tuning JSONL ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${[...listed, ...more].join('\n')}`);
  }
}

/** OpenAI chat fine-tuning JSONL: one `{"messages": [...prompt, {"role":"assistant","content": response}]}` per line. */
export function formatChatJsonl(examples: readonly Pick<TrainingExample, 'messages' | 'response'>[]): string {
  return examples
    .map((example) => JSON.stringify({ messages: [...example.messages.map(({ role, content }) => ({ role, content })), { role: 'assistant', content: example.response }] }))
    .map((line) => `${line}\n`)
    .join('');
}

/** Parses and validates chat fine-tuning JSONL (blank lines skipped); throws ChatJsonlError listing every bad line. */
export function parseChatJsonl(text: string, source = 'chat JSONL'): FineTuneRecord[] {
  const records: FineTuneRecord[] = [];
  const problems: JsonlProblem[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      problems.push({ line, field: '', message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = fineTuneRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => ({ line, field: issue.path.join('.'), message: issue.message })));
  });
  if (problems.length > 0) throw new ChatJsonlError(source, problems);
  if (records.length === 0) throw new ChatJsonlError(source, [{ line: 1, field: '', message: 'the file has no examples' }]);
  return records;
}

/**
 * Turns validated JSONL records into training examples (prompt = all messages but the last, response =
 * the last assistant message), ids `<source>:<n>`, so users' own data can be a mixture source.
 */
export function fineTuneRecordsToExamples(records: readonly FineTuneRecord[], source: string): TrainingExample[] {
  return records.map((record, index) => ({
    id: `${source}:${index + 1}`,
    messages: record.messages.slice(0, -1).map(({ role, content }) => ({ role, content })),
    response: record.messages.at(-1)!.content,
    provenance: { source: 'jsonl', file: source, record: index + 1 },
  }));
}
