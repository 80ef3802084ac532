import { join } from 'node:path';
import { z } from 'zod';
import { notFound } from './http/openai-error';
import { JsonFolder } from './json-folder';
import { BASE_POLICY_WEIGHTS } from './policy/base-policy-weights';
import { Policy } from './policy/policy';
import { policyParametersSchema, type PolicyParameters } from './policy/policy-model';

/** The id of the hand-set base policy. */
export const BASE_MODEL_ID = 'ratchet-base';

/** The model object the API returns. */
export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

const storedModelSchema = z.strictObject({
  id: z.string(),
  created: z.number().int(),
  owned_by: z.string(),
  parent: z.string(),
  job_id: z.string(),
  parameters: policyParametersSchema,
});
type StoredModel = z.infer<typeof storedModelSchema>;

const BASE_CREATED = 1_735_689_600; // 2025-01-01: fixed so listings are reproducible.

/** The base policy's parameters: hand-set weights, no memory. */
export function baseParameters(): PolicyParameters {
  return { format: 'ratchet-policy/1', weights: { ...BASE_POLICY_WEIGHTS }, demonstrations: [], textRecall: [] };
}

/** Models: the base policy plus fine-tuned ones persisted as JSON under the data folder. */
export class ModelRegistry {
  private readonly records: JsonFolder<StoredModel>;
  private readonly loaded = new Map<string, Policy>();
  private readonly objects = new Map<string, ModelObject>();

  constructor(dataDir: string) {
    this.records = new JsonFolder(join(dataDir, 'models'), storedModelSchema);
    this.loaded.set(BASE_MODEL_ID, new Policy(baseParameters()));
    this.objects.set(BASE_MODEL_ID, { id: BASE_MODEL_ID, object: 'model', created: BASE_CREATED, owned_by: 'ratchet' });
  }

  /** Reads the persisted models' listing entries (their parameters load on first use). */
  async open(): Promise<void> {
    for (const record of await this.records.readAll()) this.objects.set(record.id, this.objectOf(record));
  }

  private objectOf(record: StoredModel): ModelObject {
    return { id: record.id, object: 'model', created: record.created, owned_by: record.owned_by };
  }

  /** Every model, base first. */
  list(): ModelObject[] {
    return [...this.objects.values()];
  }

  /** One model's listing entry, or a 404. */
  get(id: string): ModelObject {
    const model = this.objects.get(id);
    if (!model) throw notFound('model', id, 'model');
    return model;
  }

  /** The loaded policy of a model, or a 404. */
  async policy(id: string): Promise<Policy> {
    const cached = this.loaded.get(id);
    if (cached) return cached;
    const record = this.objects.has(id) ? await this.records.read(id) : null;
    if (!record) throw notFound('model', id, 'model');
    const policy = new Policy(record.parameters);
    this.loaded.set(id, policy);
    return policy;
  }

  /** Persists a newly trained model and makes it available. */
  async add(input: { id: string; parent: string; jobId: string; parameters: PolicyParameters }): Promise<ModelObject> {
    const record: StoredModel = { id: input.id, created: Math.floor(Date.now() / 1000), owned_by: 'user', parent: input.parent, job_id: input.jobId, parameters: input.parameters };
    await this.records.write(record.id, record);
    const object = this.objectOf(record);
    this.objects.set(record.id, object);
    this.loaded.set(record.id, new Policy(record.parameters));
    return object;
  }
}
