import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '../../src/model-server';
import { agentMessages, agentResponse, homePage, trainingLine } from './agent-prompt-fixtures';

let server: RunningModelServer;
let client: OpenAI;
let dataDir: string;

const objective = 'What is the price of Sprite Yoga Ball';
const homeMessages = agentMessages({ observation: homePage(), url: 'http://127.0.0.1:7770/', objective });

async function rawPost(path: string, body: unknown): Promise<{ status: number; json: { error?: { message: string; type: string; param: string | null; code: string | null } } }> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { error?: { message: string; type: string; param: string | null; code: string | null } } };
}

async function waitForJob(id: string): Promise<OpenAI.FineTuning.FineTuningJob> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const job = await client.fineTuning.jobs.retrieve(id);
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratchet-model-server-'));
  server = await startModelServer({ port: 0, dataDir });
  client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('chat completions through the openai client', () => {
  it('answers an agent prompt with reasoning and one fenced action, counting tokens', async () => {
    const completion = await client.chat.completions.create({ model: 'ratchet-base', messages: homeMessages, temperature: 0 });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toContain('In summary, the next action I will perform is');
    expect(content).toMatch(/```type \[30\] \[Sprite Yoga Ball\] \[1\]```$/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(50);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(10);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it('returns n choices, and the same seed reproduces them exactly', async () => {
    const request = { model: 'ratchet-base', messages: homeMessages, temperature: 2, n: 6, seed: 42 };
    const first = await client.chat.completions.create(request);
    const second = await client.chat.completions.create(request);
    expect(first.choices).toHaveLength(6);
    expect(first.choices.map((choice) => choice.message.content)).toEqual(second.choices.map((choice) => choice.message.content));
    const other = await client.chat.completions.create({ ...request, seed: 7 });
    const distinct = new Set([...first.choices, ...other.choices].map((choice) => choice.message.content));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('is greedy at temperature 0 whatever the seed', async () => {
    const replies = await Promise.all([1, 2, 3].map((seed) => client.chat.completions.create({ model: 'ratchet-base', messages: homeMessages, temperature: 0, seed })));
    expect(new Set(replies.map((reply) => reply.choices[0]?.message.content)).size).toBe(1);
  });

  it('cuts the reply at max_tokens and reports finish_reason length', async () => {
    const completion = await client.chat.completions.create({ model: 'ratchet-base', messages: homeMessages, temperature: 0, max_tokens: 5 });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('answers the fuzzy-match judge with the verdict alone on the last line', async () => {
    const prompt = 'Question: What is the price?\nReference answer: $23.50\nStudent answer: It costs $23.50\nGive one verdict: correct, incorrect, or partially correct.';
    const reply = await client.chat.completions.create({ model: 'ratchet-base', temperature: 0, messages: [{ role: 'user', content: prompt }] });
    expect(reply.choices[0]?.message.content?.split('\n').at(-1)).toBe('correct');
    const wrong = await client.chat.completions.create({ model: 'ratchet-base', temperature: 0, messages: [{ role: 'user', content: prompt.replace('It costs $23.50', 'Blue') }] });
    expect(wrong.choices[0]?.message.content?.split('\n').at(-1)).toBe('incorrect');
  });

  it('refuses malformed requests with OpenAI-shaped 400 errors naming the field', async () => {
    const notList = await rawPost('/chat/completions', { model: 'ratchet-base', messages: 'hello' });
    expect(notList.status).toBe(400);
    expect(notList.json.error?.message).toMatch(/messages/);
    expect(notList.json.error?.type).toBe('invalid_request_error');
    const badTemperature = await rawPost('/chat/completions', { model: 'ratchet-base', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' });
    expect(badTemperature.status).toBe(400);
    expect(badTemperature.json.error?.param).toBe('temperature');
    const unknownField = await rawPost('/chat/completions', { model: 'ratchet-base', messages: [{ role: 'user', content: 'x' }], bogus: 1 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.error?.message).toMatch(/bogus/);
    const brokenJson = await rawPost('/chat/completions', '{"model":');
    expect(brokenJson.status).toBe(400);
    expect(brokenJson.json.error?.message).toBeTruthy();
  });

  it('answers 404 for an unknown model, through the client as NotFoundError', async () => {
    await expect(client.chat.completions.create({ model: 'no-such-model', messages: homeMessages })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404 });
  });
});

describe('embeddings', () => {
  it('are deterministic, L2-normalised, 256-dimensional, in float and in the client default base64', async () => {
    const viaBase64 = await client.embeddings.create({ model: 'ratchet-base', input: ['blue yoga ball', 'blue yoga balls', 'quarterly tax report'] });
    const viaFloat = await client.embeddings.create({ model: 'ratchet-base', input: ['blue yoga ball', 'blue yoga balls', 'quarterly tax report'], encoding_format: 'float' });
    const vectors = viaFloat.data.map((item) => item.embedding);
    expect(vectors[0]).toHaveLength(256);
    for (const vector of vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    viaBase64.data[0]?.embedding.forEach((value, index) => expect(value).toBeCloseTo(vectors[0]?.[index] ?? NaN, 5));
    const cosine = (a: number[], b: number[]): number => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
    expect(cosine(vectors[0] ?? [], vectors[1] ?? [])).toBeGreaterThan(cosine(vectors[0] ?? [], vectors[2] ?? []) + 0.3);
    expect(viaFloat.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('refuses an input that is not text', async () => {
    const response = await rawPost('/embeddings', { model: 'ratchet-base', input: 42 });
    expect(response.status).toBe(400);
    expect(response.json.error?.param).toBe('input');
  });
});

describe('files, fine-tuning jobs and models', () => {
  let fileId = '';

  it('uploads a training file, lists it, and returns its metadata and content', async () => {
    const lines = [trainingLine(homeMessages, agentResponse('I search for it.', 'type [30] [Sprite Yoga Ball] [1]'))];
    const uploaded = await client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'train.jsonl'), purpose: 'fine-tune' });
    fileId = uploaded.id;
    expect(uploaded).toMatchObject({ object: 'file', purpose: 'fine-tune', filename: 'train.jsonl' });
    expect((await client.files.list()).data.map((file) => file.id)).toContain(fileId);
    expect((await client.files.retrieve(fileId)).bytes).toBe(uploaded.bytes);
    expect(await (await client.files.content(fileId)).text()).toContain('Sprite Yoga Ball');
    await expect(client.files.retrieve('file-missing')).rejects.toMatchObject({ status: 404 });
  });

  it('runs a job through to a listed fine-tuned model, with events and trained tokens', async () => {
    const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: fileId, suffix: 'api', metadata: { run: 'r1', round: '1' }, hyperparameters: { n_epochs: 2 } });
    expect(job.status).toBe('validating_files');
    const done = await waitForJob(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.fine_tuned_model).toMatch(/^ft:ratchet-base:api:[0-9a-f]{8}$/);
    expect(done.trained_tokens).toBeGreaterThan(0);
    expect(done.hyperparameters.n_epochs).toBe(2);
    const events = await client.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    expect(events.data.map((event) => event.message).join('\n')).toMatch(/Epoch 2\/2: training loss=/);
    const models = (await client.models.list()).data.map((model) => model.id);
    expect(models).toEqual(expect.arrayContaining(['ratchet-base', done.fine_tuned_model]));
    expect((await client.models.retrieve(done.fine_tuned_model ?? '')).id).toBe(done.fine_tuned_model);
  });

  it('filters the job list by metadata and pages it with after and limit', async () => {
    const second = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: fileId, metadata: { run: 'r2', round: '1' } });
    await waitForJob(second.id);
    const r1 = await client.fineTuning.jobs.list({ metadata: { run: 'r1' } });
    expect(r1.data.map((job) => job.metadata?.run)).toEqual(['r1']);
    const roundOne = await client.fineTuning.jobs.list({ metadata: { round: '1' } });
    expect(roundOne.data).toHaveLength(2);
    const firstPage = await client.fineTuning.jobs.list({ limit: 1 });
    expect(firstPage.data).toHaveLength(1);
    expect(firstPage.data[0]?.id).toBe(second.id);
    expect(firstPage.has_more).toBe(true);
    const nextPage = await client.fineTuning.jobs.list({ limit: 1, after: second.id });
    expect(nextPage.data[0]?.metadata?.run).toBe('r1');
    expect((await client.fineTuning.jobs.list({ metadata: { run: 'nope' } })).data).toHaveLength(0);
  });

  it('refuses jobs for unknown models or files, and unknown job ids', async () => {
    await expect(client.fineTuning.jobs.create({ model: 'gpt-nothing', training_file: fileId })).rejects.toMatchObject({ status: 404 });
    await expect(client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: 'file-nothing' })).rejects.toMatchObject({ status: 400 });
    await expect(client.fineTuning.jobs.retrieve('ftjob-nothing')).rejects.toMatchObject({ status: 404 });
    await expect(client.fineTuning.jobs.cancel('ftjob-nothing')).rejects.toMatchObject({ status: 404 });
  });

  it('fails a job whose training file is not chat-format JSONL, naming the line', async () => {
    const bad = await client.files.create({ file: await toFile(Buffer.from('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}\n{"prompt": "x"}\n'), 'bad.jsonl'), purpose: 'fine-tune' });
    const job = await waitForJob((await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: bad.id })).id);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(/line 2/);
  });
});
