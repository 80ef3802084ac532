import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelJudge, evaluateTask, type Judge } from '../../src/evaluators/index';
import { BASE_MODEL_ID, startModelServer, type RunningModelServer } from '../../src/model-server/index';
import { builtinFuncHelpers } from '../../src/sites/func-helpers';
import { startSiteServer, type RunningSites } from '../../src/sites/index';
import { launchChromium } from '../../src/stack/toolchain';
import { buildManifest, buildTasks } from '../../src/suites/builtin/generate-tasks';
import { scriptedSolutions } from '../../src/suites/builtin/solutions';
import { loadTaskSuite } from '../../src/tasks/load-task-suite';
import { replacePlaceholdersDeep } from '../../src/tasks/placeholders';
import type { TaskConfig } from '../../src/tasks/task-config';

const SUITE_DIR = join(import.meta.dirname, '..', '..', 'src', 'suites', 'builtin');

async function signIn(context: BrowserContext, sites: RunningSites): Promise<void> {
  const page = await context.newPage();
  for (const site of Object.values(sites.sites)) {
    await page.goto(`${site.url}${site.login.path}`);
    await page.locator(`[name="${site.login.usernameField}"]`).fill(site.login.username);
    await page.locator(`[name="${site.login.passwordField}"]`).fill(site.login.password);
    await Promise.all([page.waitForURL((url) => url.pathname !== site.login.path), page.locator(`[name="${site.login.passwordField}"]`).press('Enter')]);
  }
  await page.close();
}

function firstStartUrl(task: TaskConfig): string {
  return task.start_url.split(' |AND| ')[0] ?? task.start_url;
}

/** One independent environment: its own sites (so resets never race) and a signed-in browser context. */
interface Lane {
  sites: RunningSites;
  context: BrowserContext;
}

async function openLane(browser: Browser): Promise<Lane> {
  const sites = await startSiteServer({ ports: { shopping: 0, shopping_admin: 0, reddit: 0 } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await signIn(context, sites);
  return { sites, context };
}

/** Solves and scores a lane's tasks in order, resetting the sites before each; returns the failures. */
async function runLane(lane: Lane, tasks: TaskConfig[], checkedTemplates: Set<number>, judge: Judge): Promise<string[]> {
  const failures: string[] = [];
  const page: Page = await lane.context.newPage();
  for (const template of tasks) {
    const task = replacePlaceholdersDeep(template, lane.sites.urls);
    await lane.sites.reset();
    await page.goto(firstStartUrl(task));
    const solution = scriptedSolutions[task.intent_template_id];
    if (!solution) throw new Error(`no solution for template ${task.intent_template_id}`);
    let answer: string;
    try {
      ({ answer } = await solution(page, task, lane.sites.urls));
    } catch (error) {
      failures.push(`task ${task.task_id} (${task.intent}): solution threw ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    const solved = await evaluateTask({ task, answer, page, judge, funcHelpers: builtinFuncHelpers, siteUrls: lane.sites.urls });
    if (solved.score !== 1) failures.push(`task ${task.task_id} (${task.intent}): answer ${JSON.stringify(answer)} scored ${solved.score}: ${JSON.stringify(solved.evaluators)}`);

    // A wrong answer, given on the untouched start page after a reset, must not pass (checked once per
    // template: its instantiations share the evaluator shape, and page loads dominate the run time).
    if (checkedTemplates.has(task.intent_template_id)) continue;
    checkedTemplates.add(task.intent_template_id);
    await lane.sites.reset();
    await page.goto(firstStartUrl(task));
    const wrong = await evaluateTask({ task, answer: 'I could not find it', page, judge, funcHelpers: builtinFuncHelpers, siteUrls: lane.sites.urls });
    if (wrong.score !== 0) failures.push(`task ${task.task_id} (${task.intent}): a wrong answer on the start page scored ${wrong.score}`);
  }
  await page.close();
  return failures;
}

const LANES = 3;

describe('the built-in suite', () => {
  let browser: Browser;
  let lanes: Lane[] = [];
  let modelServer: RunningModelServer;
  let modelDataDir: string;
  // fuzzy_match references are judged by the real local model server, as in a run.
  let judge: Judge;

  beforeAll(async () => {
    modelDataDir = await mkdtemp(join(tmpdir(), 'ratchet-suite-judge-'));
    modelServer = await startModelServer({ port: 0, dataDir: modelDataDir });
    judge = createModelJudge({ baseUrl: modelServer.url, model: BASE_MODEL_ID });
    browser = await launchChromium();
    lanes = await Promise.all(Array.from({ length: LANES }, () => openLane(browser)));
  });

  afterAll(async () => {
    await Promise.all(lanes.map((lane) => lane.context.close()));
    await browser?.close();
    await Promise.all(lanes.map((lane) => lane.sites.close()));
    await modelServer?.close();
    if (modelDataDir) await rm(modelDataDir, { recursive: true, force: true });
  });

  it('validates against the task schema and is what the generator produces from the seed', async () => {
    const suite = await loadTaskSuite(SUITE_DIR);
    expect(suite.name).toBe('builtin');
    expect(suite.tasks).toEqual(buildTasks());
    expect(suite.splits).toEqual(buildManifest().splits);
    expect(suite.tasks.map((task) => task.task_id)).toEqual(suite.tasks.map((_task, index) => index));
  });

  it('has at least 40 templates of 3 to 5 tasks, a split by template, and a solution for every template', async () => {
    const suite = await loadTaskSuite(SUITE_DIR);
    const perTemplate = new Map<number, number>();
    for (const task of suite.tasks) perTemplate.set(task.intent_template_id, (perTemplate.get(task.intent_template_id) ?? 0) + 1);
    expect(perTemplate.size).toBeGreaterThanOrEqual(40);
    expect(suite.tasks.length).toBeGreaterThanOrEqual(150);
    for (const count of perTemplate.values()) expect(count).toBeGreaterThanOrEqual(3);
    for (const count of perTemplate.values()) expect(count).toBeLessThanOrEqual(5);
    const { train, eval: held } = suite.splits ?? { train: [], eval: [] };
    expect([...train, ...held].sort((a, b) => a - b)).toEqual([...perTemplate.keys()].sort((a, b) => a - b));
    expect(train.filter((id) => held.includes(id))).toEqual([]);
    expect(held.length / perTemplate.size).toBeGreaterThan(0.2);
    expect(held.length / perTemplate.size).toBeLessThan(0.4);
    for (const id of perTemplate.keys()) expect(scriptedSolutions[id], `solution for template ${id}`).toBeTypeOf('function');
  });

  it('covers every evaluator variant WebArena uses', async () => {
    const { tasks: raw } = await loadTaskSuite(SUITE_DIR);
    const evals = raw.map((task) => task.eval);
    expect(evals.some((e) => e.reference_answers?.exact_match !== undefined)).toBe(true);
    expect(evals.some((e) => e.reference_answers?.must_include !== undefined)).toBe(true);
    expect(evals.some((e) => Array.isArray(e.reference_answers?.fuzzy_match))).toBe(true);
    expect(evals.some((e) => e.reference_answers?.fuzzy_match === 'N/A' && (e.string_note ?? '') !== '')).toBe(true);
    expect(evals.some((e) => e.reference_url?.includes(' |OR| '))).toBe(true);
    expect(evals.some((e) => e.reference_url?.includes('?'))).toBe(true);
    const targets = evals.flatMap((e) => e.program_html);
    expect(targets.some((t) => t.url === 'last')).toBe(true);
    expect(targets.some((t) => t.url.startsWith('__'))).toBe(true);
    expect(targets.some((t) => t.url.startsWith('func:'))).toBe(true);
    expect(targets.some((t) => t.locator.startsWith('func:'))).toBe(true);
    expect(targets.some((t) => t.locator.startsWith('document.querySelector'))).toBe(true);
    expect(targets.some((t) => t.locator === '')).toBe(true);
    expect(raw.some((task) => task.sites.length === 2)).toBe(true);
  });

  it('scores every task 1 with its scripted solution, and 0 with a wrong answer on the untouched start page', async () => {
    const { tasks } = await loadTaskSuite(SUITE_DIR);
    const checkedTemplates = new Set<number>();
    const failures = await Promise.all(lanes.map((lane, index) => runLane(lane, tasks.filter((_task, taskIndex) => taskIndex % LANES === index), checkedTemplates, judge)));
    expect(failures.flat()).toEqual([]);
  }, 600_000);
});
