import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { getModel, recordTrainingDetails, upsertModel } from '../../storage/models';
import type { ActivityDependencies } from '../dependencies';
import { clientFor, specEndpoint } from '../model-endpoints';
import { loadRunSpecOf } from '../store';
import { modelIdFor } from '../store/register-models';
import { runTrainingCommand } from './command-provider';
import { toModelCallFailure } from '../activity-failure';
import { checkOpenAiJob, launchOpenAiJob } from './openai-provider';

interface RoundRef {
  runId: string;
  round: number;
  /** Which of several jobs of the same round (an experiment's mixture); absent for a run's round. */
  variant?: string;
}

/** Fine-tuning activities (train queue), for the `openai` and `command` providers behind one interface. */
/**
 * A fine-tuning job's seed from the run spec's seed, the round and the mixture variant. Without one
 * the provider draws a seed per job, and the same data would train a different model each time.
 */
export function fineTuneSeed(specSeed: number, round: number, variant?: string): number {
  return createHash('sha256').update(`${specSeed}/${round}/${variant ?? ''}`).digest().readUInt32BE(0) & 0x7fffffff;
}

export function createFineTuneActivities(deps: ActivityDependencies) {
  const outputDirOf = ({ runId, round, variant }: RoundRef) =>
    join(deps.artifactsDir, 'finetune', runId.replace(/[^A-Za-z0-9._-]/g, '_'), `round-${round}${variant ? `-${variant.replace(/[^A-Za-z0-9._-]/g, '_')}` : ''}`);

  return {
    /** Starts (or finds) the round's fine-tuning job and returns its id. */
    async launchFineTune(input: RoundRef & { datasetId: string; fromModelId: string }): Promise<{ jobId: string }> {
      const spec = await loadRunSpecOf(deps, input.runId);
      const from = await getModel(deps.db, input.fromModelId);
      const provider = spec.finetune.provider;
      if (provider.provider === 'openai') {
        const { endpoint } = specEndpoint(provider.endpoint);
        const launched = await launchOpenAiJob({
          client: clientFor(deps, endpoint), db: deps.db, runId: input.runId, round: input.round, variant: input.variant,
          datasetId: input.datasetId, baseModel: from.provider_model, hyperparameters: provider.hyperparameters,
          seed: fineTuneSeed(spec.seed, input.round, input.variant),
        });
        await upsertModel(deps.db, {
          id: `job:${launched.jobId}`, runId: input.runId, provider: 'openai-compatible', providerModel: '(training)', endpoint,
          baseModelId: from.base_model_id ?? from.id, parentModelId: from.id, datasetId: input.datasetId, jobId: launched.jobId, round: input.round, status: 'training',
        });
        return { jobId: launched.jobId };
      }
      const jobId = `command-${input.runId}-round-${input.round}${input.variant ? `-${input.variant}` : ''}`;
      await runTrainingCommand({ db: deps.db, command: provider.command, outputDir: outputDirOf(input), datasetId: input.datasetId, baseModel: from.provider_model, jobId, timeoutMs: provider.timeoutMs });
      return { jobId };
    },

    /** One look at the job: registers the model when it succeeded; "still running" is a retryable failure. */
    async checkFineTune(input: RoundRef & { jobId: string }): Promise<{ modelId: string }> {
      const spec = await loadRunSpecOf(deps, input.runId);
      const provider = spec.finetune.provider;
      const pending = await getModel(deps.db, `job:${input.jobId}`).catch(() => undefined);
      if (provider.provider === 'command') {
        const outputDir = outputDirOf(input);
        const endpoint = { ...provider.servedAt, baseUrl: provider.servedAt.baseUrl.replace('{outputDir}', outputDir) };
        const providerModel = provider.modelName.replace('{outputDir}', outputDir).replace('{jobId}', input.jobId);
        const modelId = modelIdFor(endpoint, providerModel);
        await upsertModel(deps.db, { id: modelId, runId: input.runId, provider: 'command', providerModel, endpoint, jobId: input.jobId, round: input.round, status: 'ready' });
        return { modelId };
      }
      const { endpoint } = specEndpoint(provider.endpoint);
      const check = await checkOpenAiJob(clientFor(deps, endpoint), input.jobId);
      Context.current().heartbeat(check.state);
      if (check.state === 'running') throw ApplicationFailure.retryable(`fine-tune job ${input.jobId} is ${check.status}`, 'FineTuneRunning');
      if (check.state === 'failed') throw ApplicationFailure.nonRetryable(`fine-tune job ${input.jobId} ${check.status}: ${check.error}`, 'FineTuneFailed');
      const modelId = modelIdFor(endpoint, check.fineTunedModel);
      await upsertModel(deps.db, {
        id: modelId, runId: input.runId, provider: 'openai-compatible', providerModel: check.fineTunedModel, endpoint,
        baseModelId: pending?.base_model_id ?? null, parentModelId: pending?.parent_model_id ?? null, datasetId: pending?.dataset_id ?? null,
        jobId: input.jobId, round: input.round, status: 'ready',
      });
      await recordTrainingDetails(deps.db, modelId, { trainedTokens: check.trainedTokens, events: check.events });
      return { modelId };
    },

    /** Cancels the job when its round is cancelled. */
    async cancelFineTune(input: RoundRef & { jobId: string }): Promise<void> {
      const spec = await loadRunSpecOf(deps, input.runId);
      const provider = spec.finetune.provider;
      if (provider.provider !== 'openai') return;
      try {
        await clientFor(deps, specEndpoint(provider.endpoint).endpoint).fineTuning.jobs.cancel(input.jobId);
      } catch (error) {
        throw toModelCallFailure(error, `cancel fine-tune job ${input.jobId}`);
      }
    },
  };
}

export type FineTuneActivities = ReturnType<typeof createFineTuneActivities>;
