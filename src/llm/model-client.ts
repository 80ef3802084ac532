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
  return new OpenAI({ baseURL: endpoint.baseUrl, apiKey: apiKey ?? NO_KEY, maxRetries: 0, timeout: endpoint.timeoutMs ?? 60_000 });
}

const NON_RETRYABLE_STATUSES = new Set([400, 401, 403, 404, 422]);

/** A failed model call, classified once: whether a retry can help and how long to wait first. */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
    return new ModelCallError(`${operation}: HTTP ${error.status}: ${error.message}`, retryable, error.status, parseRetryAfter(error.headers as Headers | undefined), { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  // Timeouts, resets, truncated or non-JSON bodies: the endpoint may answer properly next time.
  return new ModelCallError(`${operation}: ${message}`, true, undefined, undefined, { cause: error });
}
