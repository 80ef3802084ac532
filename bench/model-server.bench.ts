// Local model server throughput: chat completions per second on agent prompts, and the wall time of
// a fine-tuning job on 1,000 agent examples. Prints a table and writes bench/results/model-server.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { startModelServer } from '../src/model-server';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { FIXTURE_PRODUCTS, agentMessages, agentResponse, homePage, productPage, trainingLine } from '../test/model-server/agent-prompt-fixtures';

const CHAT_REQUESTS = 300;
const CONCURRENCY = 8;
const FINE_TUNE_EXAMPLES = 1000;

/** A realistic-size agent observation: a product page padded with a long listing. */
function largePage(index: number): string {
  const product = FIXTURE_PRODUCTS[index % FIXTURE_PRODUCTS.length] ?? FIXTURE_PRODUCTS[0]!;
  const listing = Array.from({ length: 60 }, (_, row) => `\t[${1000 + row * 3}] link 'Related item ${row} ${product.name}'\n\t[${1001 + row * 3}] StaticText '$${(row * 3.5 + 4).toFixed(2)}'`);
  return `${productPage(product, 100 + index)}\n${listing.join('\n')}`;
}

function promptFor(index: number): OpenAI.ChatCompletionMessageParam[] {
  const product = FIXTURE_PRODUCTS[index % FIXTURE_PRODUCTS.length] ?? FIXTURE_PRODUCTS[0]!;
  const onHome = index % 3 === 0;
  return agentMessages({ observation: onHome ? homePage() : largePage(index), url: onHome ? 'http://127.0.0.1:7770/' : `http://127.0.0.1:7770/p/${index}`, objective: `What is the price of ${product.name}`, previousAction: onHome ? 'None' : 'click [9]' });
}

const dataDir = await mkdtemp(join(tmpdir(), 'ratchet-model-bench-'));
const server = await startModelServer({ dataDir });
const client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
try {
  await client.chat.completions.create({ model: 'ratchet-base', messages: promptFor(0) });
  let next = 0;
  let promptTokens = 0;
  const chatStart = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < CHAT_REQUESTS) {
      const index = next++;
      const completion = await client.chat.completions.create({ model: 'ratchet-base', messages: promptFor(index), temperature: 1, seed: index });
      promptTokens += completion.usage?.prompt_tokens ?? 0;
    }
  }));
  const chatSeconds = (performance.now() - chatStart) / 1000;

  const lines = Array.from({ length: FINE_TUNE_EXAMPLES }, (_, index) => {
    const messages = promptFor(index) as Parameters<typeof trainingLine>[0];
    const product = FIXTURE_PRODUCTS[index % FIXTURE_PRODUCTS.length] ?? FIXTURE_PRODUCTS[0]!;
    return trainingLine(messages, index % 3 === 0 ? agentResponse('I search.', `type [30] [${product.name}] [1]`) : agentResponse('The price is shown.', `stop [${product.price}]`));
  });
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'bench.jsonl'), purpose: 'fine-tune' });
  const tuneStart = performance.now();
  const job = await client.fineTuning.jobs.create({ model: 'ratchet-base', training_file: file.id, hyperparameters: { n_epochs: 3 } });
  let status = job.status;
  while (status !== 'succeeded' && status !== 'failed' && status !== 'cancelled') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await client.fineTuning.jobs.retrieve(job.id)).status;
  }
  const tuneSeconds = (performance.now() - tuneStart) / 1000;
  const results = {
    chatRequests: CHAT_REQUESTS,
    concurrency: CONCURRENCY,
    meanPromptTokens: Math.round(promptTokens / CHAT_REQUESTS),
    chatCompletionsPerSecond: Number((CHAT_REQUESTS / chatSeconds).toFixed(1)),
    fineTuneExamples: FINE_TUNE_EXAMPLES,
    fineTuneEpochs: 3,
    fineTuneStatus: status,
    fineTuneSeconds: Number(tuneSeconds.toFixed(2)),
    node: process.version,
  };
  console.table([results]);
  await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'model-server.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
