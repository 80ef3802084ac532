// Rollout throughput: episodes per minute on the built-in suite with the local model at 1, 2 and 4
// concurrent browser contexts (one WorkerBrowser, a fresh context per episode, as runEpisode does),
// the same fixed sample of read-only tasks at each setting, and where a step's time goes (model,
// action and observation from StepRecord.timings; storage from an insertStep into a scratch
// PostgreSQL database). Run: npx tsx bench/rollout.bench.ts [--tasks N] [--max-steps N]
// Prints a table and writes bench/results/rollout.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { runEpisode } from '../src/agent/run-episode';
import { WorkerBrowser } from '../src/browser/worker-browser';
import type { StepRecord } from '../src/domain/trajectory';
import { createModelJudge } from '../src/evaluators/index';
import { startModelServer } from '../src/model-server';
import { builtinFuncHelpers } from '../src/sites/func-helpers';
import { startSiteServer } from '../src/sites/index';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { openDatabase } from '../src/storage/database';
import { beginEpisode, insertStep } from '../src/storage/episodes';
import { upsertModel } from '../src/storage/models';
import { upsertSuite } from '../src/storage/tasks';
import { loadTaskSuite } from '../src/tasks/load-task-suite';
import type { TaskConfig } from '../src/tasks/task-config';
import { createTestDatabase } from '../test/support/database';
import { descendantCpuMs, PeakDescendantMemory } from './process-memory';

const CONCURRENCY_SETTINGS = [1, 2, 4] as const;
const TARGET_SPEEDUP_AT_2 = 1.6;
const MODEL = 'ratchet-base';

const { values: flags } = parseArgs({
  options: { tasks: { type: 'string', default: '16' }, 'max-steps': { type: 'string', default: '10' } },
});
const TASK_COUNT = Number(flags.tasks);
const MAX_STEPS = Number(flags['max-steps']);
if (!Number.isInteger(TASK_COUNT) || TASK_COUNT < 1) throw new Error(`--tasks ${flags.tasks}: expected a positive integer`);
if (!Number.isInteger(MAX_STEPS) || MAX_STEPS < 1) throw new Error(`--max-steps ${flags['max-steps']}: expected a positive integer`);

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Every k-th read-only task, so the sample spans the suite's templates and sites rather than its first template. */
function sampleReadOnlyTasks(tasks: TaskConfig[], count: number): TaskConfig[] {
  const readOnly = tasks.filter((task) => !task.eval.eval_types.includes('program_html'));
  if (readOnly.length < count) throw new Error(`rollout bench: the suite has ${readOnly.length} read-only tasks, fewer than --tasks ${count}`);
  const stride = readOnly.length / count;
  return Array.from({ length: count }, (_, index) => readOnly[Math.floor(index * stride)]!);
}

interface SettingResult {
  contexts: number;
  episodes: number;
  steps: number;
  seconds: number;
  episodesPerMinute: number;
  meanScore: number | null;
  environmentErrors: number;
  /** CPU seconds of this process (driver, sites, model server) and of every Chromium process. */
  nodeCpuSeconds: number;
  chromiumCpuSeconds: number;
  /** (node + Chromium CPU seconds) / wall seconds: how many cores the setting kept busy on average. */
  coresBusy: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const startLoad = loadavg();
const dataDir = await mkdtemp(join(tmpdir(), 'ratchet-rollout-bench-'));
const database = await createTestDatabase();
const db = openDatabase(database.url);
const server = await startModelServer({ dataDir: join(dataDir, 'model-server') });
const sites = await startSiteServer({ ports: { shopping: 0, shopping_admin: 0, reddit: 0 } });
const CHROMIUM_PROCESS = /chrom/i;
const chromiumMemory = new PeakDescendantMemory(CHROMIUM_PROCESS);
const browser = new WorkerBrowser();
const suite = await loadTaskSuite(join(PROJECT_ROOT, 'src', 'suites', 'builtin'), { placeholders: sites.urls });
const sample = sampleReadOnlyTasks(suite.tasks, TASK_COUNT);
const client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
const judge = createModelJudge({ baseUrl: server.url, model: MODEL });

const allSteps: StepRecord[] = [];
const storageMs: number[] = [];

/** One episode as a rollout worker runs it, with each step stored in the scratch database. */
async function episode(task: TaskConfig, episodeId: string, seed: number) {
  await beginEpisode(db, { id: episodeId, runId: null, round: null, evaluationId: null, purpose: 'eval', suiteId: suite.name, taskId: task.task_id, modelId: MODEL, sample: 0 }, 1);
  return runEpisode({
    task, browser, sites: sites.sites, judge, funcHelpers: builtinFuncHelpers, maxSteps: MAX_STEPS,
    model: { client, model: MODEL, temperature: 0, seed },
    onStep: async (step) => {
      const started = performance.now();
      await insertStep(db, episodeId, step);
      storageMs.push(performance.now() - started);
      allSteps.push(step);
    },
  });
}

const settings: SettingResult[] = [];
try {
  await upsertModel(db, { id: MODEL, runId: null, provider: 'openai', providerModel: MODEL, endpoint: { baseUrl: 'local' }, status: 'base' });
  // Episodes reference their task, so the sample is stored as a scratch suite.
  await upsertSuite(db, {
    id: suite.name, name: suite.name, source: 'rollout bench', splits: suite.splits, contentHash: 'rollout-bench',
    tasks: sample.map((task) => ({ taskId: task.task_id, intentTemplateId: task.intent_template_id, capabilityId: `template-${task.intent_template_id}`, split: 'all', sites: task.sites, writes: false, config: task })),
  });
  // Warm-up: launch Chromium and let the model server and sites compile their hot paths.
  await episode(sample[0]!, 'warm-up', 0);
  allSteps.length = 0;
  storageMs.length = 0;
  for (const contexts of CONCURRENCY_SETTINGS) {
    await sites.reset();
    const scores: Array<number | null> = [];
    let environmentErrors = 0;
    let stepsBefore = allSteps.length;
    let next = 0;
    const nodeCpuBefore = process.cpuUsage();
    const chromiumCpuMsBefore = descendantCpuMs(process.pid, CHROMIUM_PROCESS);
    const started = performance.now();
    await Promise.all(Array.from({ length: contexts }, async () => {
      while (next < sample.length) {
        const index = next++;
        const task = sample[index]!;
        const outcome = await episode(task, `c${contexts}/${task.task_id}`, task.task_id);
        scores.push(outcome.score);
        if (outcome.environmentError) environmentErrors += 1;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
    const chromiumCpuSeconds = (descendantCpuMs(process.pid, CHROMIUM_PROCESS) - chromiumCpuMsBefore) / 1000;
    const scored = scores.filter((score): score is number => score !== null);
    const steps = allSteps.length - stepsBefore;
    stepsBefore = allSteps.length;
    settings.push({
      contexts, episodes: sample.length, steps, seconds: round(seconds),
      episodesPerMinute: round(sample.length / (seconds / 60), 1),
      meanScore: scored.length ? round(sum(scored) / scored.length, 3) : null,
      environmentErrors,
      nodeCpuSeconds: round(nodeCpuSeconds), chromiumCpuSeconds: round(chromiumCpuSeconds),
      coresBusy: round((nodeCpuSeconds + chromiumCpuSeconds) / seconds),
    });
    say(`rollout: ${contexts} context(s): ${sample.length} episodes, ${steps} steps in ${seconds.toFixed(1)} s`);
  }
} finally {
  await browser.close();
  await sites.close();
  await server.close();
  await db.end();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
}
const chromiumPeakRssMiB = chromiumMemory.stop();

const perMinute = (contexts: number) => settings.find((setting) => setting.contexts === contexts)!.episodesPerMinute;
const meanMs = (values: number[]) => (values.length ? round(sum(values) / values.length, 1) : 0);
const stepSplit = {
  steps: allSteps.length,
  modelMs: meanMs(allSteps.map((step) => step.timings.modelMs)),
  actionMs: meanMs(allSteps.map((step) => step.timings.actionMs)),
  observationMs: meanMs(allSteps.map((step) => step.timings.observationMs)),
  storageMs: meanMs(storageMs),
};
const rolloutSpeedupAt2 = round(perMinute(2) / perMinute(1));
// If every core were busy with nothing but this work, throughput could grow at most by
// cores / (cores busy at 1 context): the ceiling any concurrency can reach on this machine.
const single = settings.find((setting) => setting.contexts === 1)!;
const cores = availableParallelism();
const cpuSecondsPerEpisodeAt1 = (single.nodeCpuSeconds + single.chromiumCpuSeconds) / single.episodes;
const results = {
  tasks: sample.map((task) => task.task_id),
  maxSteps: MAX_STEPS,
  model: MODEL,
  settings,
  episodesPerMinute: { 1: perMinute(1), 2: perMinute(2), 4: perMinute(4) },
  rolloutSpeedupAt2,
  rolloutSpeedupAt2Target: TARGET_SPEEDUP_AT_2,
  rolloutSpeedupAt2Met: rolloutSpeedupAt2 >= TARGET_SPEEDUP_AT_2,
  rolloutSpeedupAt4: round(perMinute(4) / perMinute(1)),
  cores,
  cpuSecondsPerEpisodeAt1: round(cpuSecondsPerEpisodeAt1, 3),
  chromiumShareOfCpuAt1: round(single.chromiumCpuSeconds / (single.nodeCpuSeconds + single.chromiumCpuSeconds)),
  cpuBoundSpeedupCeiling: round(cores / single.coresBusy),
  meanStepMs: stepSplit,
  // One process holds the browser worker's code, the sites and the model server, as in the local stack.
  processPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  chromiumPeakRssMiB,
  loadAverageAtStart: startLoad.map((value) => round(value)),
  node: process.version,
};
console.table(settings);
console.table([stepSplit]);
await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'rollout.json'), `${JSON.stringify(results, null, 2)}\n`);
