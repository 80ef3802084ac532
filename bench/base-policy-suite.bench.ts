// Success of a local-model-server policy on the built-in suite, end to end: real sites, real Chromium,
// the real agent loop and evaluators. Usage: npx tsx bench/base-policy-suite.bench.ts [model] [limit]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { runEpisode } from '../src/agent/run-episode';
import { WorkerBrowser } from '../src/browser/worker-browser';
import { createModelJudge } from '../src/evaluators/index';
import { startModelServer } from '../src/model-server';
import { builtinFuncHelpers } from '../src/sites/func-helpers';
import { startSiteServer } from '../src/sites/index';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { loadTaskSuite } from '../src/tasks/load-task-suite';

const model = process.argv[2] ?? 'ratchet-base';
const limit = Number(process.argv[3] ?? Infinity);
const dataDir = await mkdtemp(join(tmpdir(), 'ratchet-suite-bench-'));
const server = await startModelServer({ dataDir });
const sites = await startSiteServer({ ports: { shopping: 0, shopping_admin: 0, reddit: 0 } });
const browser = new WorkerBrowser();
const suite = await loadTaskSuite(join(PROJECT_ROOT, 'src', 'suites', 'builtin'), { placeholders: sites.urls });
const client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
const judge = createModelJudge({ baseUrl: server.url, model: 'ratchet-base' });
const rows: Array<{ taskId: number; template: number; score: number | null; steps: number; answer: string | null; early: string | null }> = [];
try {
  for (const task of suite.tasks.slice(0, limit)) {
    await sites.reset();
    const outcome = await runEpisode({ task, browser, sites: sites.sites, model: { client, model, temperature: 0 }, onStep: async () => {}, judge, funcHelpers: builtinFuncHelpers });
    rows.push({ taskId: task.task_id, template: task.intent_template_id, score: outcome.score, steps: outcome.length, answer: outcome.answer, early: outcome.earlyStopReason ?? outcome.environmentError });
    process.stderr.write(`${task.task_id}\t${outcome.score}\t${outcome.length}\t${JSON.stringify(outcome.answer)}\t${task.intent}\n`);
  }
} finally {
  await browser.close();
  await sites.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
const scored = rows.filter((row) => row.score !== null);
const success = scored.filter((row) => row.score === 1).length;
const summary = { model, tasks: rows.length, scored: scored.length, success, successRate: scored.length ? success / scored.length : 0, meanSteps: rows.reduce((sum, row) => sum + row.steps, 0) / Math.max(1, rows.length) };
console.table([summary]);
await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'base-policy-suite.json'), JSON.stringify({ summary, rows }, null, 2));
