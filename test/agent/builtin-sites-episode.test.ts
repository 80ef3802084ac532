import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEpisode } from '../../src/agent/run-episode';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { stepRecordSchema, type StepRecord } from '../../src/domain/trajectory';
import { createModelJudge } from '../../src/evaluators/index';
import { createModelClient } from '../../src/llm/model-client';
import { BASE_MODEL_ID, startModelServer, type RunningModelServer } from '../../src/model-server/index';
import { builtinFuncHelpers } from '../../src/sites/func-helpers';
import { startSiteServer, type RunningSites } from '../../src/sites/index';
import { loadTaskSuite } from '../../src/tasks/load-task-suite';
import type { TaskConfig } from '../../src/tasks/task-config';
import { PROJECT_ROOT } from '../../src/stack/toolchain';

let sites: RunningSites;
let modelServer: RunningModelServer;
let tasks: TaskConfig[];
const browser = new WorkerBrowser();

beforeAll(async () => {
  sites = await startSiteServer({ ports: { shopping: 0, shopping_admin: 0, reddit: 0 } });
  modelServer = await startModelServer({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'ratchet-model-server-')) });
  tasks = (await loadTaskSuite(join(PROJECT_ROOT, 'src', 'suites', 'builtin'))).tasks;
});

afterAll(async () => {
  await browser.close();
  await modelServer?.close();
  await sites?.close();
});

async function runBuiltinTask(taskId: number) {
  const task = tasks.find((candidate) => candidate.task_id === taskId);
  if (!task) throw new Error(`built-in task ${taskId} is missing`);
  const steps: StepRecord[] = [];
  const blocked: string[] = [];
  const outcome = await runEpisode({
    task,
    browser,
    sites: sites.sites,
    model: { client: createModelClient({ baseUrl: modelServer.url, timeoutMs: 30_000 }), model: BASE_MODEL_ID, temperature: 0, seed: 1 },
    judge: createModelJudge({ baseUrl: modelServer.url, model: BASE_MODEL_ID }),
    funcHelpers: builtinFuncHelpers,
    onStep: (step) => {
      steps.push(stepRecordSchema.parse(step));
      return Promise.resolve();
    },
    onBlockedRequest: (request) => blocked.push(request.url),
  });
  return { task, outcome, steps, blocked };
}

describe('an episode on the built-in sites with the local model server', () => {
  it('runs a shop task from the start page to a scored answer', async () => {
    const { outcome, steps, blocked } = await runBuiltinTask(0);
    expect(outcome.environmentError).toBeNull();
    expect(outcome.answer).not.toBeNull();
    expect([0, 1]).toContain(outcome.score);
    expect(outcome.evaluatorVersion).toBe('webarena-compat-1');
    expect(steps.length).toBe(outcome.length);
    expect(steps[0]?.observation).toMatch(/^Tab 0 \(current\): .+\n\n\[\d+\] RootWebArea /);
    expect(steps[0]?.url).toBe(`${sites.sites.shopping.url}/`.replace(/\/\/$/, '/'));
    expect(outcome.promptTokens).toBeGreaterThan(0);
    expect(blocked).toEqual([]);
  });

  it('logs in by script for a task that needs an account and observes the account page', async () => {
    const { outcome, steps } = await runBuiltinTask(24);
    expect(outcome.environmentError).toBeNull();
    expect(steps[0]?.url).toBe(`${sites.sites.shopping.url}/sales/order/history`);
    expect(steps[0]?.observation).not.toMatch(/textbox '[^']*[Pp]assword/);
    expect([0, 1]).toContain(outcome.score);
  });
});
