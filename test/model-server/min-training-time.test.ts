import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '../../src/model-server';
import { agentMessages, agentResponse, homePage, trainingLine } from './agent-prompt-fixtures';

// The server option minTrainingMs keeps a job `running` at least that long (the local policy trains in
// milliseconds); the job then succeeds as usual, and a cancel during the wait ends it at once.

const MIN_TRAINING_MS = 5_000;

let server: RunningModelServer;
let client: OpenAI;
let dataDir: string;
let trainingFile: string;

async function statusesUntilDone(id: string): Promise<{ job: OpenAI.FineTuning.FineTuningJob; seen: Array<{ at: number; status: string }> }> {
  const seen: Array<{ at: number; status: string }> = [];
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const job = await client.fineTuning.jobs.retrieve(id);
    seen.push({ at: Date.now(), status: job.status });
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return { job, seen };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratchet-model-server-'));
  server = await startModelServer({ port: 0, dataDir, minTrainingMs: MIN_TRAINING_MS });
  client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
  const messages = agentMessages({ observation: homePage(), url: 'http://127.0.0.1:7770/', objective: 'What is the price of Sprite Yoga Ball' });
  const line = trainingLine(messages, agentResponse('I search for it.', 'type [30] [Sprite Yoga Ball] [1]'));
  trainingFile = (await client.files.create({ file: await toFile(Buffer.from(`${line}\n`), 'train.jsonl'), purpose: 'fine-tune' })).id;
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('minTrainingMs', { timeout: 60_000 }, () => {
  it('keeps a job running at least that long, then it succeeds with a model', async () => {
    const created = Date.now();
    const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: trainingFile, hyperparameters: { n_epochs: 1 } });
    const { job: done, seen } = await statusesUntilDone(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.fine_tuned_model).toMatch(/^ft:ratchet-base:/);
    const running = seen.filter((entry) => entry.status === 'running');
    expect(running.length).toBeGreaterThan(5);
    expect(seen.at(-1)!.at - created).toBeGreaterThanOrEqual(MIN_TRAINING_MS);
    const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    expect(events.data.some((event) => event.message.includes(`stays running until ${MIN_TRAINING_MS} ms`))).toBe(true);
  });

  it('ends the wait at a cancel: the job is cancelled and no model appears', async () => {
    const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: trainingFile, hyperparameters: { n_epochs: 1 } });
    for (let attempt = 0; attempt < 100 && (await client.fineTuning.jobs.retrieve(job.id)).status !== 'running'; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const cancelled = await client.fineTuning.jobs.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, MIN_TRAINING_MS + 500));
    const after = await client.fineTuning.jobs.retrieve(job.id);
    expect(after).toMatchObject({ status: 'cancelled', fine_tuned_model: null });
    const models = await client.models.list();
    expect(models.data.map((model) => model.id).filter((id) => id.includes(job.id.slice('ftjob-'.length, 'ftjob-'.length + 8)))).toEqual([]);
  });

  it('rejects a negative or fractional value, naming the option', async () => {
    await expect(startModelServer({ port: 0, dataDir, minTrainingMs: -1 })).rejects.toThrow(/minTrainingMs must be a whole number of milliseconds >= 0, got -1/);
    await expect(startModelServer({ port: 0, dataDir, minTrainingMs: 1.5 })).rejects.toThrow(/minTrainingMs/);
  });
});
