import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { FileStore } from './file-store';
import { OpenAiHttpError, notFound } from './http/openai-error';
import { trainingLineSchema, type FineTuningJobRequest } from './http/wire-schemas';
import { JsonFolder } from './json-folder';
import { BASE_MODEL_ID, type ModelRegistry } from './model-registry';
import { TrainingCancelledError, trainPolicy, type ChatExample } from './policy/train-policy';
import { countChatTokens } from './token-counter';

const DEFAULT_EPOCHS = 3;
const BASE_LEARNING_RATE = 0.1;
const EARLY_STOPPING_PATIENCE = 2;
/** How often a job paced by `minTrainingMs` looks for a cancellation while it waits. */
const PACING_CHECK_MS = 100;

const jobStatusSchema = z.enum(['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

const hyperparametersSchema = z.strictObject({
  n_epochs: z.union([z.literal('auto'), z.number().int()]),
  batch_size: z.union([z.literal('auto'), z.number().int()]),
  learning_rate_multiplier: z.union([z.literal('auto'), z.number()]),
});

/** A fine-tuning job, shaped like OpenAI's `fine_tuning.job`. */
export const fineTuningJobSchema = z.strictObject({
  id: z.string(),
  object: z.literal('fine_tuning.job'),
  created_at: z.number().int(),
  error: z.strictObject({ code: z.string(), message: z.string(), param: z.string().nullable() }).nullable(),
  fine_tuned_model: z.string().nullable(),
  finished_at: z.number().int().nullable(),
  hyperparameters: hyperparametersSchema,
  model: z.string(),
  organization_id: z.string(),
  result_files: z.array(z.string()),
  seed: z.number().int(),
  status: jobStatusSchema,
  trained_tokens: z.number().int().nullable(),
  training_file: z.string(),
  validation_file: z.string().nullable(),
  estimated_finish: z.number().int().nullable(),
  integrations: z.null(),
  metadata: z.record(z.string(), z.string()).nullable(),
  method: z.strictObject({ type: z.literal('supervised'), supervised: z.strictObject({ hyperparameters: hyperparametersSchema }) }),
  user_provided_suffix: z.string().nullable(),
});
export type FineTuningJob = z.infer<typeof fineTuningJobSchema>;

/** One job event, shaped like OpenAI's `fine_tuning.job.event`. */
export const jobEventSchema = z.strictObject({
  id: z.string(),
  object: z.literal('fine_tuning.job.event'),
  created_at: z.number().int(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  type: z.enum(['message', 'metrics']),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

const storedJobSchema = z.strictObject({ sequence: z.number().int(), job: fineTuningJobSchema, events: z.array(jobEventSchema) });
type StoredJob = z.infer<typeof storedJobSchema>;

const ACTIVE: ReadonlySet<JobStatus> = new Set(['validating_files', 'queued', 'running']);

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A page of a cursor-paginated listing. */
export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

function pageAfter<T extends { id: string }>(items: readonly T[], after: string | undefined, limit: number): ListPage<T> {
  const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (after !== undefined && start === 0) return { object: 'list', data: [], has_more: false };
  const data = items.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < items.length };
}

/** Reads a chat-format JSONL training file into examples, or throws naming the bad line. */
export function readTrainingFile(content: string, fileId: string): ChatExample[] {
  const examples: ChatExample[] = [];
  content.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`file ${fileId} line ${index + 1}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = trainingLineSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
      throw new Error(`file ${fileId} line ${index + 1}: ${problems.join('; ')}`);
    }
    const messages = parsed.data.messages;
    const last = messages[messages.length - 1];
    if (!last || last.role !== 'assistant') throw new Error(`file ${fileId} line ${index + 1}: the last message must be the assistant's reply`);
    examples.push({ prompt: messages.slice(0, -1).map(({ role, content: text }) => ({ role, content: text })), response: last.content });
  });
  if (examples.length === 0) throw new Error(`file ${fileId}: no training examples`);
  return examples;
}

/** Server-wide settings of the fine-tuning jobs. */
export interface FineTuningJobsOptions {
  /**
   * Least time a job stays `running` (milliseconds, default 0). The local policy trains in
   * milliseconds; a remote fine-tune takes minutes. Setting this makes jobs last like remote ones,
   * so polling, timeouts and cancellation can be exercised; a cancel ends the wait at once.
   */
  minTrainingMs?: number;
}

/** Fine-tuning jobs: persisted, run one at a time in this process, cancellable, resumed after a restart. */
export class FineTuningJobs {
  private readonly records: JsonFolder<StoredJob>;
  private readonly jobs = new Map<string, StoredJob>();
  private readonly cancelRequested = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;
  private closing = false;

  private readonly minTrainingMs: number;

  constructor(dataDir: string, private readonly files: FileStore, private readonly models: ModelRegistry, private readonly onError: (error: unknown) => void, options: FineTuningJobsOptions = {}) {
    this.records = new JsonFolder(join(dataDir, 'jobs'), storedJobSchema);
    const minTrainingMs = options.minTrainingMs ?? 0;
    if (!Number.isInteger(minTrainingMs) || minTrainingMs < 0) throw new Error(`fine-tuning jobs: minTrainingMs must be a whole number of milliseconds >= 0, got ${String(options.minTrainingMs)}`);
    this.minTrainingMs = minTrainingMs;
  }

  /** Loads persisted jobs and re-queues those a previous process left unfinished. */
  async open(): Promise<void> {
    for (const record of await this.records.readAll()) {
      this.jobs.set(record.job.id, record);
      this.sequence = Math.max(this.sequence, record.sequence);
      if (ACTIVE.has(record.job.status)) {
        record.job.status = 'queued';
        this.addEvent(record, 'warn', 'The server restarted before the job finished; it was queued again');
        await this.save(record);
        this.enqueue(record.job.id);
      }
    }
  }

  /** Stops work in progress without changing job states (they resume on the next start) and waits for it. */
  async close(): Promise<void> {
    this.closing = true;
    await this.queue;
  }

  /** Creates a job after checking that its model and files exist. */
  async create(request: FineTuningJobRequest): Promise<FineTuningJob> {
    this.models.get(request.model);
    await this.files.get(request.training_file).catch(() => {
      throw new OpenAiHttpError(400, `invalid training_file: '${request.training_file}' does not exist`, 'invalid_request_error', 'training_file', 'invalid_file');
    });
    if (request.validation_file) {
      await this.files.get(request.validation_file).catch(() => {
        throw new OpenAiHttpError(400, `invalid validation_file: '${request.validation_file}' does not exist`, 'invalid_request_error', 'validation_file', 'invalid_file');
      });
    }
    const given = request.method?.supervised?.hyperparameters ?? request.hyperparameters ?? {};
    const hyperparameters = { n_epochs: given.n_epochs ?? 'auto', batch_size: given.batch_size ?? 'auto', learning_rate_multiplier: given.learning_rate_multiplier ?? 'auto' } as const;
    this.sequence += 1;
    const record: StoredJob = {
      sequence: this.sequence,
      job: {
        id: `ftjob-${randomBytes(12).toString('hex')}`,
        object: 'fine_tuning.job',
        created_at: now(),
        error: null,
        fine_tuned_model: null,
        finished_at: null,
        hyperparameters,
        model: request.model,
        organization_id: 'org-ratchet-local',
        result_files: [],
        seed: request.seed ?? Math.floor(Math.random() * 2 ** 31),
        status: 'validating_files',
        trained_tokens: null,
        training_file: request.training_file,
        validation_file: request.validation_file ?? null,
        estimated_finish: null,
        integrations: null,
        metadata: request.metadata ?? null,
        method: { type: 'supervised', supervised: { hyperparameters } },
        user_provided_suffix: request.suffix ?? null,
      },
      events: [],
    };
    this.jobs.set(record.job.id, record);
    this.addEvent(record, 'info', `Created fine-tuning job: ${record.job.id}`);
    await this.save(record);
    this.enqueue(record.job.id);
    return record.job;
  }

  /** One job, or a 404. */
  get(id: string): FineTuningJob {
    return this.record(id).job;
  }

  /** Jobs newest first, filtered by metadata (every given key must match), paginated by `after`. */
  list(options: { metadata: Record<string, string>; after?: string; limit: number }): ListPage<FineTuningJob> {
    const filters = Object.entries(options.metadata);
    const matching = [...this.jobs.values()]
      .sort((a, b) => b.sequence - a.sequence)
      .map((record) => record.job)
      .filter((job) => filters.every(([key, value]) => job.metadata?.[key] === value));
    return pageAfter(matching, options.after, options.limit);
  }

  /** A job's events, newest first, paginated by `after`. */
  events(id: string, options: { after?: string; limit: number }): ListPage<JobEvent> {
    return pageAfter([...this.record(id).events].reverse(), options.after, options.limit);
  }

  /** Cancels a job that has not finished; a 400 for one that has. */
  async cancel(id: string): Promise<FineTuningJob> {
    const record = this.record(id);
    if (!ACTIVE.has(record.job.status)) throw new OpenAiHttpError(400, `fine-tuning job ${id} is already ${record.job.status} and cannot be cancelled`, 'invalid_request_error', null, 'job_not_cancellable');
    this.cancelRequested.add(id);
    record.job.status = 'cancelled';
    record.job.finished_at = now();
    this.addEvent(record, 'info', 'Fine-tuning job cancelled');
    await this.save(record);
    return record.job;
  }

  private record(id: string): StoredJob {
    const record = this.jobs.get(id);
    if (!record) throw notFound('fine-tuning job', id);
    return record;
  }

  private addEvent(record: StoredJob, level: JobEvent['level'], message: string, data: Record<string, unknown> | null = null): void {
    record.events.push({ id: `ftevent-${randomBytes(10).toString('hex')}`, object: 'fine_tuning.job.event', created_at: now(), level, message, type: data ? 'metrics' : 'message', data });
  }

  private async save(record: StoredJob): Promise<void> {
    await this.records.write(record.job.id, record);
  }

  private enqueue(id: string): void {
    this.queue = this.queue.then(() => this.run(id)).catch((error: unknown) => this.onError(error));
  }

  private cancelled(id: string): boolean {
    return this.closing || this.cancelRequested.has(id) || this.jobs.get(id)?.job.status === 'cancelled';
  }

  /** Waits until the job has been running `minTrainingMs`; false when it was cancelled meanwhile. */
  private async paceTraining(id: string, startedAt: number): Promise<boolean> {
    while (Date.now() - startedAt < this.minTrainingMs) {
      if (this.cancelled(id)) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(PACING_CHECK_MS, this.minTrainingMs - (Date.now() - startedAt))));
    }
    return !this.cancelled(id);
  }

  private async run(id: string): Promise<void> {
    const record = this.record(id);
    if (this.cancelled(id)) return;
    if (record.job.status === 'cancelled') return;
    const { job } = record;
    try {
      record.job.status = 'validating_files';
      this.addEvent(record, 'info', 'Validating training file');
      await this.save(record);
      const train = readTrainingFile((await this.files.content(job.training_file)).toString('utf8'), job.training_file);
      const validation = job.validation_file ? readTrainingFile((await this.files.content(job.validation_file)).toString('utf8'), job.validation_file) : [];
      if (this.cancelled(id)) return;
      job.status = 'queued';
      this.addEvent(record, 'info', `Files validated: ${train.length} training and ${validation.length} validation examples`);
      await this.save(record);
      if (this.cancelled(id)) return;

      job.status = 'running';
      const epochs = job.hyperparameters.n_epochs === 'auto' ? DEFAULT_EPOCHS : job.hyperparameters.n_epochs;
      const multiplier = job.hyperparameters.learning_rate_multiplier === 'auto' ? 1 : job.hyperparameters.learning_rate_multiplier;
      job.hyperparameters = { n_epochs: epochs, batch_size: job.hyperparameters.batch_size === 'auto' ? 1 : job.hyperparameters.batch_size, learning_rate_multiplier: multiplier };
      job.method.supervised.hyperparameters = job.hyperparameters;
      this.addEvent(record, 'info', 'Fine-tuning job started');
      await this.save(record);
      const trainingStartedAt = Date.now();
      if (this.cancelled(id)) return;

      const parent = await this.models.policy(job.model);
      const tokensPerEpoch = train.reduce((sum, example) => sum + countChatTokens([...example.prompt, { role: 'assistant', content: example.response }]), 0);
      const result = await trainPolicy(parent.parameters, train, validation, {
        epochs,
        learningRate: BASE_LEARNING_RATE * multiplier,
        patience: EARLY_STOPPING_PATIENCE,
        seed: job.seed,
        shouldStop: () => this.cancelled(id),
        onEpoch: (report) => {
          const validationText = report.validationLoss === null ? '' : `, validation loss=${report.validationLoss.toFixed(4)}, validation accuracy=${(report.validationAccuracy ?? 0).toFixed(3)}`;
          this.addEvent(record, 'info', `Epoch ${report.epoch}/${epochs}: training loss=${report.trainLoss.toFixed(4)}, training accuracy=${report.trainAccuracy.toFixed(3)}${validationText}`, {
            step: report.epoch, train_loss: report.trainLoss, train_mean_token_accuracy: report.trainAccuracy, valid_loss: report.validationLoss, valid_mean_token_accuracy: report.validationAccuracy,
          });
        },
      });
      if (this.cancelled(id)) return;
      if (this.minTrainingMs > 0 && Date.now() - trainingStartedAt < this.minTrainingMs) {
        this.addEvent(record, 'info', `Training done; the job stays running until ${this.minTrainingMs} ms have passed (server option minTrainingMs)`);
        await this.save(record);
        if (!(await this.paceTraining(id, trainingStartedAt))) return;
      }
      if (result.stoppedEarly) this.addEvent(record, 'info', `Stopped early after epoch ${result.epochsRun}: validation loss stopped improving`);
      const baseName = job.model.startsWith('ft:') ? (job.model.split(':')[1] ?? BASE_MODEL_ID) : job.model;
      const modelId = `ft:${baseName}:${job.user_provided_suffix ?? 'ratchet'}:${job.id.slice('ftjob-'.length, 'ftjob-'.length + 8)}`;
      if (this.cancelled(id)) return;
      await this.models.add({ id: modelId, parent: job.model, jobId: job.id, parameters: result.parameters });
      job.trained_tokens = tokensPerEpoch * result.epochsRun;
      job.fine_tuned_model = modelId;
      job.status = 'succeeded';
      job.finished_at = now();
      this.addEvent(record, 'info', `New fine-tuned model created: ${modelId} (${result.agentExamples} agent steps, ${result.textExamples} other examples)`);
      this.addEvent(record, 'info', 'The job has successfully completed');
      await this.save(record);
    } catch (error) {
      if (error instanceof TrainingCancelledError || this.cancelled(id)) return;
      job.status = 'failed';
      job.finished_at = now();
      const message = error instanceof Error ? error.message : String(error);
      job.error = { code: 'invalid_training_file', message, param: 'training_file' };
      if (!/^file /.test(message)) job.error = { code: 'training_error', message, param: null };
      this.addEvent(record, 'error', `Fine-tuning job failed: ${message}`);
      await this.save(record);
    } finally {
      this.cancelRequested.delete(id);
    }
  }
}
