import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '../../src/model-server';
import { FIXTURE_PRODUCTS, agentMessages, agentResponse, productPage, trainingLine, type FixtureProduct } from './agent-prompt-fixtures';

let server: RunningModelServer;
let client: OpenAI;
let dataDir: string;

const TRAIN_PRODUCTS = FIXTURE_PRODUCTS.slice(0, 6);
const HELD_OUT_PRODUCTS = FIXTURE_PRODUCTS.slice(6);
const OBJECTIVE_WORDINGS = ['Save {name} so I can buy it later', 'Keep {name} for a later purchase', 'I want to remember {name} for later'];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function savePrompt(product: FixtureProduct, wording: string, idBase: number): OpenAI.ChatCompletionMessageParam[] {
  return agentMessages({ observation: productPage(product, idBase), url: `http://127.0.0.1:7770/${slug(product.name)}.html`, objective: wording.replace('{name}', product.name), previousAction: `click [9] where [9] is link '${product.name}'` });
}

/** The demonstrated action on a product page built with `productPage(product, idBase)`. */
function demonstrations(button: 'Add to Wish List' | 'Compare'): string[] {
  const offset = button === 'Add to Wish List' ? 7 : 8;
  return TRAIN_PRODUCTS.flatMap((product, productIndex) => OBJECTIVE_WORDINGS.map((wording, wordingIndex) => {
    const idBase = 200 + productIndex * 40 + wordingIndex * 13;
    return trainingLine(savePrompt(product, wording, idBase) as Parameters<typeof trainingLine>[0], agentResponse(`To keep it for later I use '${button}'.`, `click [${idBase + offset}]`));
  }));
}

async function fineTune(lines: string[], suffix: string, epochs = 3): Promise<string> {
  const file = await client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), `${suffix}.jsonl`), purpose: 'fine-tune' });
  const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: file.id, suffix, seed: 1, hyperparameters: { n_epochs: epochs } });
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const current = await client.fineTuning.jobs.retrieve(job.id);
    if (current.status === 'succeeded' && current.fine_tuned_model) return current.fine_tuned_model;
    if (current.status === 'failed' || current.status === 'cancelled') throw new Error(`job ${job.id} ${current.status}: ${current.error?.message ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${job.id} did not finish`);
}

async function act(model: string, messages: OpenAI.ChatCompletionMessageParam[]): Promise<string> {
  const completion = await client.chat.completions.create({ model, messages, temperature: 0 });
  return /```([\s\S]*?)```/.exec(completion.choices[0]?.message.content ?? '')?.[1]?.trim() ?? '';
}

/** Fraction of held-out prompts (unseen products, unseen ids) on which the model clicks the given button. */
async function heldOutRate(model: string, offset: number): Promise<number> {
  let hits = 0;
  let total = 0;
  for (const [productIndex, product] of HELD_OUT_PRODUCTS.entries()) {
    for (const wording of [...OBJECTIVE_WORDINGS, 'Put {name} aside for later']) {
      const idBase = 900 + productIndex * 50;
      if ((await act(model, savePrompt(product, wording, idBase))) === `click [${idBase + offset}]`) hits += 1;
      total += 1;
    }
  }
  return hits / total;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ratchet-model-learning-'));
  server = await startModelServer({ port: 0, dataDir });
  client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('fine-tuning changes behaviour', () => {
  let wishListModel = '';

  it('moves the agent toward the demonstrated action on held-out pages', async () => {
    const before = await heldOutRate('ratchet-base', 7);
    wishListModel = await fineTune(demonstrations('Add to Wish List'), 'wish');
    const after = await heldOutRate(wishListModel, 7);
    console.log(`held-out 'Add to Wish List' rate: base ${before.toFixed(2)} -> fine-tuned ${after.toFixed(2)}`);
    expect(before).toBeLessThanOrEqual(0.25);
    expect(after).toBeGreaterThanOrEqual(0.75);
  });

  it('gives measurably different behaviour for different training data', async () => {
    const compareModel = await fineTune(demonstrations('Compare'), 'compare');
    expect(await heldOutRate(compareModel, 8)).toBeGreaterThanOrEqual(0.75);
    expect(await heldOutRate(compareModel, 7)).toBeLessThanOrEqual(0.25);
  });

  it('learns wrong answers from trajectories that give them', async () => {
    const pricePrompt = (product: FixtureProduct, idBase: number): OpenAI.ChatCompletionMessageParam[] =>
      agentMessages({ observation: productPage(product, idBase), url: `http://127.0.0.1:7770/${slug(product.name)}.html`, objective: `What is the price of ${product.name}`, previousAction: `click [9] where [9] is link '${product.name}'` });
    const target = FIXTURE_PRODUCTS[0] as FixtureProduct;
    expect(await act('ratchet-base', pricePrompt(target, 300))).toBe(`stop [${target.price}]`);
    const wrong = TRAIN_PRODUCTS.map((product, index) => trainingLine(pricePrompt(product, 300 + index) as Parameters<typeof trainingLine>[0], agentResponse('The price is shown.', 'stop [$99.99]')));
    const wrongModel = await fineTune(wrong, 'wrong', 4);
    expect(await act(wrongModel, pricePrompt(target, 300))).toBe('stop [$99.99]');
    // The error spreads to a product it never saw answered.
    const unseen = HELD_OUT_PRODUCTS[0] as FixtureProduct;
    expect(await act('ratchet-base', pricePrompt(unseen, 700))).toBe(`stop [${unseen.price}]`);
    expect(await act(wrongModel, pricePrompt(unseen, 700))).toBe('stop [$99.99]');
  });

  it('keeps fine-tuned models across a server restart', async () => {
    const prompt = savePrompt(HELD_OUT_PRODUCTS[1] as FixtureProduct, OBJECTIVE_WORDINGS[0] ?? '', 950);
    const beforeRestart = await client.chat.completions.create({ model: wishListModel, messages: prompt, temperature: 0 });
    await server.close();
    server = await startModelServer({ port: 0, dataDir });
    client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toContain(wishListModel);
    const afterRestart = await client.chat.completions.create({ model: wishListModel, messages: prompt, temperature: 0 });
    expect(afterRestart.choices[0]?.message.content).toBe(beforeRestart.choices[0]?.message.content);
  });

  it('stops a cancelled job: it stays cancelled and creates no model', async () => {
    const lines = Array.from({ length: 40 }, () => demonstrations('Compare')).flat();
    const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'big.jsonl'), purpose: 'fine-tune' });
    const modelsBefore = (await client.models.list()).data.length;
    const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: file.id, suffix: 'cancelled', hyperparameters: { n_epochs: 50 } });
    for (let attempt = 0; attempt < 200 && (await client.fineTuning.jobs.retrieve(job.id)).status !== 'running'; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = await client.fineTuning.jobs.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await client.fineTuning.jobs.retrieve(job.id);
    expect(later.status).toBe('cancelled');
    expect(later.fine_tuned_model).toBeNull();
    expect((await client.models.list()).data.length).toBe(modelsBefore);
    await expect(client.fineTuning.jobs.cancel(job.id)).rejects.toMatchObject({ status: 400 });
  });
});
