// Orchestration overhead: a small 1-round run through Temporal in the local stack, and the same
// baseline-evaluation episodes run again in a plain loop calling the same functions (runEpisode,
// beginEpisode/insertStep/completeEpisode, same tasks, model, seeds, step limit, concurrency and
// traces). The ratio compares like with like: the baseline evaluation workflow (prepare, rollout
// child workflow with one activity per episode, metrics) over its N tasks against the plain loop
// over the same N tasks. The whole run (which also generates tasks, critiques, fine-tunes and
// evaluates the candidate) is timed too, for information only.
// Run: npx tsx bench/orchestration.bench.ts [--tasks N]. Writes bench/results/orchestration.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { episodeSeed } from '../src/agent/episode-seed';
import { runEpisode } from '../src/agent/run-episode';
import type { SiteEndpoint } from '../src/browser/site-login';
import { createModelJudge } from '../src/evaluators/index';
import { createModelClient } from '../src/llm/model-client';
import { builtinFuncHelpers } from '../src/sites/func-helpers';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { beginEpisode, completeEpisode, insertStep, listEpisodes } from '../src/storage/episodes';
import { getModel } from '../src/storage/models';
import { getTask } from '../src/storage/tasks';
import { taskConfigSchema, type TaskConfig } from '../src/tasks/task-config';
import { smallRunSpec, startRun } from '../test/support/runs';
import { startTestStack } from '../test/support/stack';

const TARGET_OVERHEAD = 1.1;
const RUN_TIMEOUT_MS = 300_000;

const { values: flags } = parseArgs({ options: { tasks: { type: 'string', default: '6' } } });
const TASK_COUNT = Number(flags.tasks);
if (!Number.isInteger(TASK_COUNT) || TASK_COUNT < 1) throw new Error(`--tasks ${flags.tasks}: expected a positive integer`);

const say = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const startLoad = loadavg();
const stack = await startTestStack({ browserContexts: 2 });
const connection = await Connection.connect({ address: stack.temporalAddress });
const client = new Client({ connection, namespace: stack.namespace });
let results: Record<string, unknown>;
try {
  const spec = smallRunSpec('bench-orchestration', { suite: { path: 'builtin', taskLimit: TASK_COUNT } });
  const runStarted = performance.now();
  const { runId, handle } = await startRun(client, stack.deps.db, spec);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`orchestration bench: run ${runId} did not finish within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS).unref());
  await Promise.race([handle.result(), timeout]);
  const runSeconds = (performance.now() - runStarted) / 1000;
  say(`orchestration: run ${runId} finished in ${runSeconds.toFixed(1)} s`);

  const evaluationId = `${runId}/baseline`;
  const described = await client.workflow.getHandle(evaluationId).describe();
  if (!described.closeTime) throw new Error(`orchestration bench: evaluation workflow ${evaluationId} has not closed`);
  const workflowSeconds = (described.closeTime.getTime() - described.startTime.getTime()) / 1000;
  // Where the workflow's extra time goes: its rollout child (the episodes alone, which is what the
  // loop does) and the rest (prepare and the metrics step, which the loop does not do).
  const rollout = await client.workflow.getHandle(`${evaluationId}/rollout`).describe();
  if (!rollout.closeTime) throw new Error(`orchestration bench: rollout workflow ${evaluationId}/rollout has not closed`);
  const rolloutSeconds = (rollout.closeTime.getTime() - rollout.startTime.getTime()) / 1000;
  const episodes = await listEpisodes(stack.deps.db, { evaluationId });
  if (episodes.length === 0) throw new Error(`orchestration bench: evaluation ${evaluationId} stored no episodes`);

  // The plain loop: the same episodes, run by hand against the same stack's sites, model and browser.
  const model = await getModel(stack.deps.db, episodes[0]!.model_id);
  const modelBaseUrl = stack.local.modelBaseUrl!;
  const modelClient = createModelClient({ baseUrl: modelBaseUrl, timeoutMs: 60_000 });
  const judge = createModelJudge({ baseUrl: modelBaseUrl, model: 'ratchet-base' });
  const siteUrls = stack.local.siteUrls!;
  const sites: Record<string, SiteEndpoint> = Object.fromEntries(Object.entries(siteUrls).map(([placeholder, url]) => {
    const name = placeholder.replace(/^__|__$/g, '').toLowerCase();
    return [name, { url, login: stack.local.siteLogins?.[name] }];
  }));
  const planned = await Promise.all(episodes.map(async (row) => {
    const stored = await getTask(stack.deps.db, row.suite_id, row.task_id);
    return { row, writes: stored.writes, task: taskConfigSchema.parse(stored.config) };
  }));
  const scores = new Map<string, number | null>();
  const runOne = async ({ row, task, writes }: { row: typeof episodes[number]; task: TaskConfig; writes: boolean }) => {
    const episodeId = `plain/${row.id}`;
    await beginEpisode(stack.deps.db, { id: episodeId, runId: null, round: null, evaluationId: null, purpose: 'eval', suiteId: row.suite_id, taskId: row.task_id, modelId: row.model_id, sample: row.sample }, 1);
    const tracePath = join(stack.deps.artifactsDir, 'traces', `${episodeId.replace(/[^A-Za-z0-9._-]+/g, '_')}.zip`);
    const outcome = await runEpisode({
      task, browser: stack.deps.browser, sites, judge, funcHelpers: builtinFuncHelpers, tracePath,
      model: { client: modelClient, model: model.provider_model, temperature: 0, seed: episodeSeed(row.id, row.run_id ? { runId: row.run_id, seed: spec.seed } : undefined) },
      maxSteps: spec.rollout.maxSteps,
      onStep: (step) => insertStep(stack.deps.db, episodeId, step),
    });
    await completeEpisode(stack.deps.db, episodeId, outcome, tracePath);
    scores.set(row.id, outcome.score);
    // A writer leaves the sites as it found them, as the rollout activity does.
    if (writes) {
      for (const name of task.sites) {
        const url = siteUrls[`__${name.toUpperCase()}__`];
        if (url) await fetch(new URL('/__reset', url), { method: 'POST' });
      }
    }
  };
  const loopStarted = performance.now();
  // Read-only tasks share the browser at the run's concurrency; a writer has the sites to itself.
  const readers = planned.filter((entry) => !entry.writes);
  let next = 0;
  await Promise.all(Array.from({ length: spec.rollout.concurrency }, async () => {
    while (next < readers.length) await runOne(readers[next++]!);
  }));
  for (const writer of planned.filter((entry) => entry.writes)) await runOne(writer);
  const loopSeconds = (performance.now() - loopStarted) / 1000;

  const orchestrationOverhead = round(workflowSeconds / loopSeconds);
  results = {
    runId,
    tasks: episodes.map((row) => row.task_id),
    writerTasks: planned.filter((entry) => entry.writes).length,
    concurrency: spec.rollout.concurrency,
    maxSteps: spec.rollout.maxSteps,
    evaluationWorkflowSeconds: round(workflowSeconds),
    plainLoopSeconds: round(loopSeconds),
    orchestrationOverhead,
    rolloutWorkflowSeconds: round(rolloutSeconds),
    rolloutOnlyOverhead: round(rolloutSeconds / loopSeconds),
    prepareAndMetricsSeconds: round(workflowSeconds - rolloutSeconds),
    orchestrationOverheadTarget: TARGET_OVERHEAD,
    orchestrationOverheadMet: orchestrationOverhead <= TARGET_OVERHEAD,
    sameScores: episodes.filter((row) => scores.get(row.id) === row.score).length,
    wholeRunSeconds: round(runSeconds),
    loadAverageAtStart: startLoad.map((value) => round(value)),
    node: process.version,
  };
} finally {
  await connection.close();
  await stack.teardown();
}
console.table([results]);
await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'orchestration.json'), `${JSON.stringify(results, null, 2)}\n`);
