import { LOCAL, type RunSpec } from '../../config/run-spec';
import { upsertModel, type StoredEndpoint } from '../../storage/models';
import type { ActivityDependencies } from '../dependencies';

/** The local model server's base model. */
export const LOCAL_BASE_MODEL = 'ratchet-base';
/** The built-in agent that always answers `stop [N/A]`: it finds the trivial tasks. */
export const ALWAYS_NA_MODEL_ID = 'builtin:always-na';

/** Registry id of a model at an endpoint: readable and stable across runs. */
export function modelIdFor(endpoint: StoredEndpoint, providerModel: string): string {
  return endpoint.baseUrl === LOCAL ? `local:${providerModel}` : `${providerModel}@${new URL(endpoint.baseUrl).host}`;
}

/** Registers the run's base model and the always-N/A agent, returning their ids. */
export async function registerBaseModels(deps: ActivityDependencies, spec: RunSpec): Promise<{ baseModelId: string; trivialModelId: string }> {
  const endpoint: StoredEndpoint = spec.model === LOCAL
    ? { baseUrl: LOCAL }
    : { baseUrl: spec.model.baseUrl, apiKeyEnv: spec.model.apiKeyEnv, timeoutMs: spec.model.timeoutMs };
  const providerModel = spec.model === LOCAL ? LOCAL_BASE_MODEL : spec.model.model;
  const baseModelId = modelIdFor(endpoint, providerModel);
  await upsertModel(deps.db, { id: baseModelId, runId: null, provider: 'openai-compatible', providerModel, endpoint, status: 'base' });
  await upsertModel(deps.db, { id: ALWAYS_NA_MODEL_ID, runId: null, provider: 'always-na', providerModel: 'always-na', endpoint: { baseUrl: 'none' }, status: 'base' });
  return { baseModelId, trivialModelId: ALWAYS_NA_MODEL_ID };
}
