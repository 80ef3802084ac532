import { z } from 'zod';
import { OpenAiHttpError } from './openai-error';

const textPartSchema = z.strictObject({ type: z.literal('text'), text: z.string() });

/** A chat message as the OpenAI API accepts it (string content or text parts). */
export const wireChatMessageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(textPartSchema)]).nullable(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
});
export type WireChatMessage = z.infer<typeof wireChatMessageSchema>;

/** The chat completion request fields this server honours; anything else is refused by name. */
export const chatCompletionRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(wireChatMessageSchema).min(1),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  n: z.number().int().min(1).max(64).nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
  stream: z.literal(false).nullable().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  logprobs: z.literal(false).nullable().optional(),
  response_format: z.strictObject({ type: z.enum(['text', 'json_object']) }).optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const embeddingRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(8).max(4096).optional(),
  user: z.string().optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

const epochsSchema = z.union([z.literal('auto'), z.number().int().min(1).max(50)]);
const hyperparametersSchema = z.strictObject({
  n_epochs: epochsSchema.optional(),
  learning_rate_multiplier: z.union([z.literal('auto'), z.number().gt(0).max(10)]).optional(),
  batch_size: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).optional(),
});

export const fineTuningJobRequestSchema = z.strictObject({
  model: z.string().min(1),
  training_file: z.string().min(1),
  validation_file: z.string().min(1).nullable().optional(),
  suffix: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'suffix must be 1-64 letters, digits, - or _').nullable().optional(),
  seed: z.number().int().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  hyperparameters: hyperparametersSchema.optional(),
  method: z.strictObject({ type: z.literal('supervised'), supervised: z.strictObject({ hyperparameters: hyperparametersSchema.optional() }).optional() }).optional(),
});
export type FineTuningJobRequest = z.infer<typeof fineTuningJobRequestSchema>;

/** One line of a chat-format training file. */
export const trainingLineSchema = z.strictObject({
  messages: z.array(z.strictObject({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string(), name: z.string().optional(), weight: z.union([z.literal(0), z.literal(1)]).optional() })).min(2),
});

/** Validates a body with a schema, or throws a 400 naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OpenAiHttpError(400, `${operation}: the request body must be a JSON object`);
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const keys = issue?.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  throw new OpenAiHttpError(400, `${operation}: ${path ? `'${path}': ` : ''}${issue?.message ?? 'invalid request'}${keys}`, 'invalid_request_error', path || null, 'invalid_value');
}

/** Plain text of a message's content. */
export function contentText(content: WireChatMessage['content']): string {
  if (content === null) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}
