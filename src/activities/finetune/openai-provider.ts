import { ApplicationFailure, Context } from '@temporalio/activity';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { toModelCallFailure } from '../activity-failure';
import { formatChatJsonl } from '../../mixtures/chat-jsonl';
import { getDataset, listDatasetExamples, recordProviderFile } from '../../storage/datasets';

/** Metadata that identifies a round's job, so a retried launch finds it instead of creating another. */
export function jobMetadata(runId: string, round: number, datasetId: string, variant?: string): Record<string, string> {
  const metadata: Record<string, string> = { ratchet_run: runId, ratchet_round: String(round), ratchet_dataset: datasetId.slice(0, 64) };
  // An experiment fine-tunes one model per mixture in the same round; the variant tells their jobs apart.
  if (variant) metadata.ratchet_variant = variant;
  return metadata;
}

/**
 * Uploads the dataset (once; file ids are remembered) and creates the fine-tuning job, unless a job
 * with this round's metadata already exists (the fine-tuning API has no idempotency key).
 */
export async function launchOpenAiJob(input: {
  client: OpenAI;
  db: import('../../storage/database').Queryable;
  runId: string;
  round: number;
  variant?: string;
  datasetId: string;
  baseModel: string;
  hyperparameters: { n_epochs?: number };
  /** The job's seed: the same spec, round and dataset train the same model. */
  seed: number;
}): Promise<{ jobId: string; reused: boolean }> {
  const metadata = jobMetadata(input.runId, input.round, input.datasetId, input.variant);
  try {
    const existing = await input.client.fineTuning.jobs.list({ metadata, limit: 10 });
    const found = existing.data.find((job) => job.status !== 'failed' && job.status !== 'cancelled');
    if (found) return { jobId: found.id, reused: true };

    const dataset = await getDataset(input.db, input.datasetId);
    const files = { ...dataset.provider_files };
    for (const split of ['train', 'validation'] as const) {
      if (files[split]) continue;
      const examples = await listDatasetExamples(input.db, input.datasetId, split);
      if (examples.length === 0) continue;
      const uploaded = await input.client.files.create({
        file: await toFile(Buffer.from(formatChatJsonl(examples)), `${input.datasetId.replace(/[^A-Za-z0-9_-]/g, '_')}-${split}.jsonl`),
        purpose: 'fine-tune',
      });
      files[split] = uploaded.id;
      await recordProviderFile(input.db, input.datasetId, split, uploaded.id);
      Context.current().heartbeat({ uploaded: split });
    }
    if (!files.train) throw ApplicationFailure.nonRetryable(`dataset ${input.datasetId} has no training examples`, 'EmptyDataset');
    const job = await input.client.fineTuning.jobs.create({
      model: input.baseModel,
      training_file: files.train,
      validation_file: files.validation,
      suffix: `r${input.round}${input.variant ? `-${input.variant}` : ''}`,
      metadata,
      seed: input.seed,
      hyperparameters: input.hyperparameters.n_epochs ? { n_epochs: input.hyperparameters.n_epochs } : undefined,
    });
    return { jobId: job.id, reused: false };
  } catch (error) {
    throw toModelCallFailure(error, `fine-tune launch for ${input.runId} round ${input.round}`);
  }
}

export type JobCheck =
  | { state: 'succeeded'; fineTunedModel: string; trainedTokens: number | null; events: unknown[] }
  | { state: 'running'; status: string }
  | { state: 'failed'; status: string; error: string };

/** One look at a job. */
export async function checkOpenAiJob(client: OpenAI, jobId: string): Promise<JobCheck> {
  try {
    const job = await client.fineTuning.jobs.retrieve(jobId);
    if (job.status === 'succeeded' && job.fine_tuned_model) {
      const events = await client.fineTuning.jobs.listEvents(jobId, { limit: 100 });
      return { state: 'succeeded', fineTunedModel: job.fine_tuned_model, trainedTokens: job.trained_tokens ?? null, events: events.data.map((event) => ({ at: event.created_at, level: event.level, message: event.message })) };
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      return { state: 'failed', status: job.status, error: job.error?.message ?? job.status };
    }
    return { state: 'running', status: job.status };
  } catch (error) {
    throw toModelCallFailure(error, `fine-tune job ${jobId}`);
  }
}
