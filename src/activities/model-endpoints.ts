import type OpenAI from 'openai';
import { LOCAL, type RunSpec } from '../config/run-spec';
import { createModelClient } from '../llm/model-client';
import type { StoredEndpoint } from '../storage/models';
import type { ActivityDependencies } from './dependencies';

/** The base URL behind a stored endpoint; `local` is this worker's local model server. */
export function resolveBaseUrl(deps: ActivityDependencies, endpoint: StoredEndpoint): string {
  if (endpoint.baseUrl !== LOCAL) return endpoint.baseUrl;
  if (!deps.local.modelBaseUrl) {
    throw new Error('the run uses the local model server but this worker has none: run it in the local stack or set RATCHET_MODEL_SERVER_URL');
  }
  return deps.local.modelBaseUrl;
}

/** An OpenAI client (retries off) for a stored endpoint. */
export function clientFor(deps: ActivityDependencies, endpoint: StoredEndpoint): OpenAI {
  return createModelClient({ baseUrl: resolveBaseUrl(deps, endpoint), apiKeyEnv: endpoint.apiKeyEnv, timeoutMs: endpoint.timeoutMs ?? 60_000 });
}

/** A spec's endpoint field (or `local`) as a stored endpoint plus the model name to call. */
export function specEndpoint(value: RunSpec['judge']): { endpoint: StoredEndpoint; model: string } {
  if (value === LOCAL) return { endpoint: { baseUrl: LOCAL }, model: 'ratchet-base' };
  return { endpoint: { baseUrl: value.baseUrl, apiKeyEnv: value.apiKeyEnv, timeoutMs: value.timeoutMs }, model: value.model };
}
