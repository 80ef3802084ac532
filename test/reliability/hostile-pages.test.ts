import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EPISODE_TABS } from '../../src/browser/page-incidents';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { parseRunSpec } from '../../src/config/run-spec';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import { listEpisodes } from '../../src/storage/episodes';
import { upsertModel } from '../../src/storage/models';
import { insertRun } from '../../src/storage/runs';
import { upsertSuite } from '../../src/storage/tasks';
import type { RolloutInput, RolloutResult } from '../../src/workflows/definitions';
import { TASK_QUEUES } from '../../src/workflows/definitions';
import { containedOutcome, HOSTILE_CASES, makeTraceDir, runHostileCase, type HostileCase, type HostileCaseReport } from '../../reliability/hostile-episodes';
import { DOWNLOAD_MARKER, startHostileSite, type HostileSite } from '../../reliability/hostile-site';
import { startScriptedModelServer, type ScriptedModelServer } from '../agent/scripted-model-server';
import { startTestStack, type TestStack } from '../support/stack';

let site: HostileSite;
const browser = new WorkerBrowser();
let traces: Awaited<ReturnType<typeof makeTraceDir>>;

beforeAll(async () => {
  site = await startHostileSite();
  traces = await makeTraceDir();
});

afterAll(async () => {
  await browser.close();
  await site?.close();
  await traces?.remove();
});

const caseNamed = (name: string): HostileCase => {
  const found = HOSTILE_CASES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no hostile case ${name}`);
  return found;
};

/** Files under `dir` (one level, and inside playwright-artifacts-* folders) whose bytes hold the download marker. */
function filesHoldingDownload(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const check = (path: string) => {
    try {
      if (statSync(path).isFile() && statSync(path).size < 1_000_000 && readFileSync(path).includes(DOWNLOAD_MARKER)) found.push(path);
    } catch {
      // Another process's file that went away or cannot be read is not ours.
    }
  };
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry.startsWith('playwright-artifacts-')) {
      for (const inner of readdirSync(path)) check(join(path, inner));
    } else {
      check(path);
    }
  }
  return found;
}

/** Runs the case and checks what every hostile page must give: contained in time, nothing leaked, the browser still healthy. */
async function runContained(name: string): Promise<HostileCaseReport> {
  const hostile = caseNamed(name);
  const report = await runHostileCase(browser, site, hostile, { traceDir: traces.dir });
  const outcome = containedOutcome(report.episode);
  expect(report.episode.thrown).toBeNull();
  expect(outcome === null ? 'not contained' : hostile.expected).toContain(outcome);
  expect(report.episode.elapsedMs).toBeLessThan(hostile.containWithinMs);
  expect(report.leakedRequests).toEqual([]);
  // The next episode in the same browser works as on any calm page.
  expect(containedOutcome(report.control)).toBe('scored');
  expect(report.control.outcome?.score).toBe(1);
  expect(report.control.observations.at(-1)).toContain("StaticText 'Pressed'");
  return report;
}

describe('episodes on hostile pages end contained, and the next episode in the same browser works', () => {
  it('an endless script in the head: the start URL does not load, an environment error', async () => {
    const { episode } = await runContained('endless-script-on-load');
    expect(episode.outcome?.environmentError).toMatch(/start URL .*endless-script-on-load did not load: .*Timeout 30000ms/);
  }, 240_000);

  it('an endless script after load: the observation deadline gives an environment error', async () => {
    const { episode } = await runContained('endless-script-after-load');
    expect(episode.outcome?.environmentError).toContain('the page did not answer within 20000 ms');
  }, 240_000);

  it('an endless click handler: the action is cut at its deadline, then the environment error', async () => {
    const { episode } = await runContained('endless-script-on-click');
    expect(episode.stepErrors[0]).toMatch(/execute click .*no result within 50000 ms/);
    expect(episode.outcome?.environmentError).toContain('the page did not answer');
  }, 240_000);

  it('a 200,000-node DOM is observed as a marker line instead of its tree', async () => {
    const { episode } = await runContained('huge-dom');
    if (containedOutcome(episode) === 'scored') {
      expect(episode.observations[0]).toMatch(/\[page not observed: it has 200,0\d\d elements, more than the 50,000 an observation reads\]/);
      expect(episode.observations[0]!.length).toBeLessThan(500);
    }
  }, 240_000);

  it('alert, confirm and prompt while loading are dismissed and the page goes on', async () => {
    const { episode } = await runContained('dialogs-on-load');
    expect(episode.observations[0]).toContain("StaticText 'confirm false, prompt null'");
  }, 240_000);

  it('dialogs opened by a click are dismissed', async () => {
    const { episode } = await runContained('dialogs-on-click');
    expect(episode.observations[1]).toContain("StaticText 'confirm false, prompt null'");
  }, 240_000);

  it('an endless alert loop is contained', async () => {
    await runContained('dialog-loop');
  }, 240_000);

  it('downloads on load and on click are refused and nothing is written', async () => {
    const onLoad = await runContained('download-on-load');
    const onClick = await runContained('download-on-click');
    const refused = [...onLoad.episode.incidents, ...onClick.episode.incidents].filter((incident) => incident.kind === 'download');
    expect(refused.map((incident) => incident.kind === 'download' && incident.suggestedFilename)).toEqual(expect.arrayContaining(['hostile.bin', 'blob-download.bin']));
    expect(onClick.episode.outcome?.finalUrl).toBe(`${site.origin}/download-on-click`);
    for (const dir of [PROJECT_ROOT, process.cwd(), join(homedir(), 'Downloads'), tmpdir(), traces.dir]) expect(filesHoldingDownload(dir)).toEqual([]);
  }, 240_000);

  it('a window.open loop (half of it to another origin) and a click that opens 200 pop-ups leave at most the tab limit open', async () => {
    for (const name of ['popup-loop', 'popup-on-click']) {
      const { episode } = await runContained(name);
      for (const observation of episode.observations) {
        const tabs = observation.split('\n')[0]!.split(' | ').length;
        expect(tabs).toBeLessThanOrEqual(MAX_EPISODE_TABS);
      }
    }
  }, 240_000);

  it('redirects to another origin by meta refresh, script and HTTP 302 are blocked and recorded', async () => {
    const expectations: Array<[string, string]> = [
      ['redirect-meta', '/meta-refresh'],
      ['redirect-js', '/js-location'],
      ['redirect-302-start', '/http-302'],
      ['redirect-302-click', '/http-302'],
    ];
    for (const [name, target] of expectations) {
      const { episode } = await runContained(name);
      expect(episode.blockedRequests.map((request) => request.url)).toContain(`${site.elsewhereOrigin}${target}`);
    }
    expect(site.elsewhereRequests).toEqual([]);
  }, 240_000);

  it('a beforeunload prompt does not stop the agent from leaving the page', async () => {
    const { episode } = await runContained('beforeunload');
    expect(episode.outcome?.finalUrl).toBe(`${site.origin}/calm`);
    expect(episode.stepErrors).toEqual([]);
  }, 240_000);

  it('every hostile case is covered by a test above', () => {
    const tested = ['endless-script-on-load', 'endless-script-after-load', 'endless-script-on-click', 'huge-dom', 'dialogs-on-load', 'dialogs-on-click', 'dialog-loop', 'download-on-load', 'download-on-click', 'popup-loop', 'popup-on-click', 'redirect-meta', 'redirect-js', 'redirect-302-start', 'redirect-302-click', 'beforeunload'];
    expect(HOSTILE_CASES.map((hostile) => hostile.name).sort()).toEqual([...tested].sort());
  });
});

describe('a rollout over hostile tasks', () => {
  let stack: TestStack;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    stack = await startTestStack({ browserContexts: 2 });
    model = await startScriptedModelServer(() => 'In summary, the next action I will perform is ```stop [done]```');
  }, 180_000);

  afterAll(async () => {
    await model?.close();
    await stack?.teardown();
  });

  it('completes (not stuck) with each hostile episode\'s environment error recorded and the calm one scored', async () => {
    const runId = `hostile-${Date.now()}`;
    const spec = parseRunSpec({ name: 'hostile', sites: { __HOSTILE__: site.origin }, model: { baseUrl: model.baseUrl, model: 'scripted' }, rollout: { concurrency: 2, failureBudget: 0, maxSteps: 3 } }, 'hostile rollout spec');
    await insertRun(stack.deps.db, { id: runId, spec, specHash: runId, gitRevision: null });
    const modelId = `scripted@${runId}`;
    await upsertModel(stack.deps.db, { id: modelId, runId: null, provider: 'openai-compatible', providerModel: 'scripted', endpoint: { baseUrl: model.baseUrl }, status: 'base' });
    const paths: Record<number, string> = { 1: '/endless-script-after-load', 2: '/redirect-302', 3: '/calm' };
    const suiteId = `hostile-suite-${runId}`;
    await upsertSuite(stack.deps.db, {
      id: suiteId, name: 'hostile', source: 'test', splits: null, contentHash: suiteId,
      tasks: Object.entries(paths).map(([taskId, path]) => ({
        taskId: Number(taskId), intentTemplateId: 1, capabilityId: 'template-1', split: 'all' as const, sites: ['hostile'], writes: false,
        config: {
          task_id: Number(taskId), sites: ['hostile'], intent: 'Answer done', intent_template: 'Answer done', instantiation_dict: {}, intent_template_id: 1,
          start_url: `__HOSTILE__${path}`, require_login: false, storage_state: null, geolocation: null, require_reset: false,
          eval: { eval_types: ['string_match'], reference_answers: { exact_match: 'done' }, reference_url: '', program_html: [] },
        },
      })),
    });
    const input: RolloutInput = {
      episodePrefix: `${runId}/hostile`, runId, round: null, evaluationId: null, purpose: 'train', suiteId, taskIds: [1, 2, 3],
      taskSites: { 1: { sites: ['hostile'], writes: false }, 2: { sites: ['hostile'], writes: false }, 3: { sites: ['hostile'], writes: false } },
      modelId, samplesPerTask: 1, concurrency: 2, failureBudget: 0,
    };
    const started = Date.now();
    const result = await stack.client.workflow.execute<(input: RolloutInput) => Promise<RolloutResult>>('rollout', {
      taskQueue: TASK_QUEUES.orchestration, workflowId: `${runId}/rollout`, args: [input], workflowExecutionTimeout: '5 minutes',
    });
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(result).toMatchObject({ episodes: 3, completed: 3, failed: 0, failedEpisodeIds: [] });
    const episodes = await listEpisodes(stack.deps.db, { runId });
    const byTask = new Map(episodes.map((episode) => [episode.task_id, episode]));
    expect(byTask.get(1)).toMatchObject({ status: 'completed', score: null });
    expect(byTask.get(1)?.environment_error).toContain('the page did not answer within 20000 ms');
    expect(byTask.get(2)).toMatchObject({ status: 'completed', score: null });
    expect(byTask.get(2)?.environment_error).toMatch(/redirect-302 did not load: .*ERR_BLOCKED_BY_CLIENT/);
    expect(byTask.get(3)).toMatchObject({ status: 'completed', score: 1, environment_error: null });
    expect(site.elsewhereRequests).toEqual([]);
  }, 240_000);
});
