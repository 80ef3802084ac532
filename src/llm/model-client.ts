import OpenAI from 'openai';
import { z } from 'zod';

/** Where a model lives: any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, the local model server). */
export const modelEndpointSchema = z.strictObject({
  baseUrl: z.string().url(),
  /** Name of an environment variable holding the key; the key itself never enters specs or histories. */
  apiKeyEnv: z.string().min(1).optional(),
  model: z.string().min(1),
  timeoutMs: z.number().int().positive().default(60_000),
});
export type ModelEndpoint = z.infer<typeof modelEndpointSchema>;

/** Placeholder key for endpoints that need none (the local model server, most vLLM and Ollama setups). */
const NO_KEY = 'no-key';

/** An OpenAI client with its own retries off: Temporal owns retries. */
export function createModelClient(endpoint: Pick<ModelEndpoint, 'baseUrl' | 'apiKeyEnv' | 'timeoutMs'>): OpenAI {
  const apiKey = endpoint.apiKeyEnv ? process.env[endpoint.apiKeyEnv] : undefined;
  if (endpoint.apiKeyEnv && !apiKey) {
    throw new Error(`model endpoint ${endpoint.baseUrl}: environment variable ${endpoint.apiKeyEnv} is not set`);
  }
  return new OpenAI({ baseURL: endpoint.baseUrl, apiKey: apiKey ?? NO_KEY, maxRetries: 0, timeout: endpoint.timeoutMs ?? 60_000, fetch: fetchReadableAnswer });
}

/**
 * A 2xx answer the client cannot use: its body was cut off, is not JSON, is malformed JSON, or is
 * JSON without the fields of the operation's answer. The start of the body is kept apart from the
 * message (the openai client would read words like "timeout" in a message as a timed-out request).
 */
export class UnreadableModelResponseError extends Error {
  override readonly name = 'UnreadableModelResponseError';
  constructor(
    message: string,
    readonly status: number,
    readonly contentType: string | null,
    readonly bodyStart: string,
  ) {
    super(message);
  }
}

const chatCompletionShape = z.looseObject({ choices: z.array(z.looseObject({ message: z.looseObject({}) })) });
// The openai client asks for base64 embeddings unless told otherwise, and decodes them itself.
const embeddingsShape = z.looseObject({ data: z.array(z.looseObject({ embedding: z.union([z.array(z.number()), z.string()]) })) });

/** The shape a successful answer must have, by request path (only what Ratchet reads). */
function answerShapeFor(pathname: string): z.ZodType | null {
  if (pathname.endsWith('/chat/completions')) return chatCompletionShape;
  if (pathname.endsWith('/embeddings')) return embeddingsShape;
  return null;
}

function isJsonMediaType(contentType: string | null): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * fetch for the openai client that reads every successful answer whole and checks it is JSON of the
 * expected shape, so a cut-off, non-JSON or malformed body fails the call with an error that says so
 * instead of surfacing later as a missing field.
 */
async function fetchReadableAnswer(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input.toString());
  if (!response.ok || response.status === 204 || url.pathname.endsWith('/content')) return response;
  const where = `${init?.method ?? 'GET'} ${url.pathname}`;
  const contentType = response.headers.get('content-type');
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error ? [error.message, error.cause instanceof Error ? error.cause.message : ''].filter(Boolean).join(': ') : String(error);
    throw new UnreadableModelResponseError(`${where} answered ${response.status} but its body was cut off (${reason})`, response.status, contentType, '');
  }
  const bodyStart = text.slice(0, 200);
  if (!isJsonMediaType(contentType)) {
    throw new UnreadableModelResponseError(`${where} answered ${response.status} with ${contentType ?? 'no content type'} where JSON was expected`, response.status, contentType, bodyStart);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UnreadableModelResponseError(`${where} answered ${response.status} with malformed JSON (${error instanceof Error ? error.message : String(error)})`, response.status, contentType, bodyStart);
  }
  const shape = answerShapeFor(url.pathname);
  const checked = shape?.safeParse(value);
  if (checked && !checked.success) {
    const problems = checked.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new UnreadableModelResponseError(`${where} answered ${response.status} with JSON that is not its answer (${problems})`, response.status, contentType, bodyStart);
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const NON_RETRYABLE_STATUSES = new Set([400, 401, 403, 404, 422]);

/** A failed model call, classified once: whether a retry can help and how long to wait first. */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  /** What went wrong: an HTTP error answer, no answer in time, a failed connection, an unusable 2xx body, or anything else. */
  readonly kind: ModelFailureKind;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown; kind?: ModelFailureKind },
  ) {
    super(message, options);
    this.kind = options?.kind ?? (status === undefined ? 'other' : 'http');
  }
}

export type ModelFailureKind = 'http' | 'timeout' | 'connection' | 'unreadable-response' | 'other';

/** The Temporal failure type a classified model error is reported under (what the Temporal UI shows). */
export function modelFailureType(error: ModelCallError): string {
  if (error.status !== undefined) return `HTTP${error.status}`;
  const types: Record<ModelFailureKind, string> = { http: 'ModelCallError', timeout: 'ModelTimeout', connection: 'ModelConnectionError', 'unreadable-response': 'UnreadableModelResponse', other: 'ModelCallError' };
  return types[error.kind];
}

/** The messages of an error's causes, innermost last ("fetch failed: other side closed"). */
function causeMessages(error: unknown): string {
  const messages: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause instanceof Error && messages.length < 4) {
    messages.push(cause.message);
    cause = cause.cause;
  }
  return messages.join(': ');
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return undefined;
}

function parseRetryAfter(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after-ms') ?? undefined;
  if (value !== undefined && Number.isFinite(Number(value))) return Number(value);
  const seconds = headers?.get('retry-after');
  if (!seconds) return undefined;
  if (Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  const at = Date.parse(seconds);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Classifies anything a model call threw: 400/401/403/404/422 are final; 408/409/429/5xx,
 * timeouts, connection errors and unreadable bodies are retryable (Retry-After honoured).
 */
export function classifyModelError(error: unknown, operation: string): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const retryable = !NON_RETRYABLE_STATUSES.has(error.status) && (error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500 || error.status < 400);
    return new ModelCallError(`${operation}: HTTP ${error.status}: ${error.message}`, retryable, error.status, parseRetryAfter(error.headers as Headers | undefined), { cause: error, kind: 'http' });
  }
  // Timeouts, resets, truncated or non-JSON bodies: the endpoint may answer properly next time.
  const unreadable = findCause(error, UnreadableModelResponseError);
  if (unreadable) {
    const body = unreadable.bodyStart ? `: ${JSON.stringify(unreadable.bodyStart.slice(0, 120))}` : '';
    return new ModelCallError(`${operation}: unreadable answer: ${unreadable.message}${body}`, true, undefined, undefined, { cause: error, kind: 'unreadable-response' });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelCallError(`${operation}: no answer in time: ${error.message}`, true, undefined, undefined, { cause: error, kind: 'timeout' });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const causes = causeMessages(error);
    return new ModelCallError(`${operation}: connection failed: ${error.message}${causes ? ` (${causes})` : ''}`, true, undefined, undefined, { cause: error, kind: 'connection' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelCallError(`${operation}: ${message}`, true, undefined, undefined, { cause: error });
}

/** Whether an error came from calling a model endpoint (an answer, a timeout, a failed connection, an unusable body), as opposed to Ratchet's own code or other services. */
export function isModelEndpointError(error: unknown): boolean {
  return error instanceof ModelCallError || error instanceof OpenAI.APIError || findCause(error, UnreadableModelResponseError) !== undefined;
}
