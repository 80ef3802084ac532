import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fineTuneSeed } from '../../src/activities/finetune';
import { jobMetadata, launchOpenAiJob } from '../../src/activities/finetune/openai-provider';
import { createModelClient } from '../../src/llm/model-client';
import { storeDataset } from '../../src/storage/datasets';
import { insertRun } from '../../src/storage/runs';
import { smallRunSpec } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { asActivity } from './run-fixture';

let stack: TestStack;
const runId = `launch-retry-${Date.now()}`;

const example = (answer: string) => ({
  messages: [{ role: 'system' as const, content: 'You are an autonomous web agent.' }, { role: 'user' as const, content: `OBJECTIVE: say ${answer}` }],
  response: `In summary, the next action I will perform is \`\`\`stop [${answer}]\`\`\``,
  source: 'in_domain',
});

async function storeSmallDataset(id: string): Promise<void> {
  await storeDataset(stack.deps.db, { id, runId, round: 1, spec: {}, contentHash: id, counts: {}, train: [example('one'), example('two'), example('three')], validation: [example('four')] });
}

beforeAll(async () => {
  stack = await startTestStack({ workerQueues: [] });
  await insertRun(stack.deps.db, { id: runId, spec: smallRunSpec('launch-retry'), specHash: 'launch-retry', gitRevision: null });
}, 120_000);
afterAll(async () => {
  await stack?.teardown();
});

describe('fine-tune launch against the local model server', { timeout: 120_000 }, () => {
  it('a retried launch for the same run, round and dataset finds the first job instead of creating a second', async () => {
    const datasetId = `${runId}/round-1/dataset-a`;
    await storeSmallDataset(datasetId);
    const client = createModelClient({ baseUrl: stack.local.modelBaseUrl ?? '', timeoutMs: 30_000 });
    const launch = () => launchOpenAiJob({ client, db: stack.deps.db, runId, round: 1, datasetId, baseModel: 'ratchet-base', hyperparameters: {}, seed: 7 });

    const first = await asActivity(launch);
    const second = await asActivity(launch);
    expect(first.reused).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, reused: true });
    // The job trains with the seed it was given, not one the server draws.
    expect((await client.fineTuning.jobs.retrieve(first.jobId)).seed).toBe(7);

    const jobs = await client.fineTuning.jobs.list({ metadata: jobMetadata(runId, 1, datasetId), limit: 10 });
    expect(jobs.data.map((job) => job.id)).toEqual([first.jobId]);
    // The dataset was uploaded once: the retry reused the remembered file ids.
    const files = await stack.deps.db.query('SELECT provider_files FROM datasets WHERE id = $1', [datasetId]);
    expect(Object.keys((files.rows[0] as { provider_files: Record<string, string> }).provider_files).sort()).toEqual(['train', 'validation']);
  });

  it('a launch for another dataset of the same round creates its own job, and a cancelled job is not reused', async () => {
    const datasetId = `${runId}/round-1/dataset-b`;
    await storeSmallDataset(datasetId);
    const client = createModelClient({ baseUrl: stack.local.modelBaseUrl ?? '', timeoutMs: 30_000 });
    const launch = () => launchOpenAiJob({ client, db: stack.deps.db, runId, round: 1, datasetId, baseModel: 'ratchet-base', hyperparameters: {}, seed: 7 });

    const first = await asActivity(launch);
    const otherJobs = await client.fineTuning.jobs.list({ metadata: jobMetadata(runId, 1, `${runId}/round-1/dataset-a`), limit: 10 });
    expect(otherJobs.data.map((job) => job.id)).not.toContain(first.jobId);

    await client.fineTuning.jobs.cancel(first.jobId);
    const afterCancel = await asActivity(launch);
    expect(afterCancel.reused).toBe(false);
    expect(afterCancel.jobId).not.toBe(first.jobId);
  });
});

describe('fineTuneSeed', () => {
  it('is the same for the same spec seed, round and mixture, and differs when any of them does', () => {
    const seed = fineTuneSeed(3, 1, 'B');
    expect(fineTuneSeed(3, 1, 'B')).toBe(seed);
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true);
    expect(new Set([seed, fineTuneSeed(4, 1, 'B'), fineTuneSeed(3, 2, 'B'), fineTuneSeed(3, 1, 'A'), fineTuneSeed(3, 1)]).size).toBe(5);
  });
});
