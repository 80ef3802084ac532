// Real episodes on the hostile site: the agent runtime (runEpisode: a fresh context in the worker's
// one Chromium, the egress policy, observation, actions, evaluation, trace) driven by a scripted
// OpenAI-compatible model over real HTTP. Each hostile episode is followed by a calm one in the same
// browser, which tells whether the worker is still healthy.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEpisode } from '../src/agent/run-episode';
import type { BlockedRequest } from '../src/browser/egress-policy';
import type { PageIncident } from '../src/browser/page-incidents';
import type { WorkerBrowser } from '../src/browser/worker-browser';
import type { EpisodeOutcome } from '../src/domain/trajectory';
import { createModelClient } from '../src/llm/model-client';
import type { TaskConfig } from '../src/tasks/task-config';
import { startScriptedModelServer, type ReceivedChatRequest } from '../test/agent/scripted-model-server';
import type { HostileSite } from './hostile-site';

/** What the scripted agent does at one step (then `stop [done]` once the plan is used up). */
export type AgentMove =
  | { kind: 'click'; role: string; name: string }
  | { kind: 'type'; role: string; name: string; text: string }
  | { kind: 'goto'; path: string }
  | { kind: 'scroll' };

/** How a contained episode ends. */
export type ContainedOutcome = 'scored' | 'environment_error';

/** One hostile page and what a contained episode on it looks like. */
export interface HostileCase {
  name: string;
  path: string;
  /** What the page does, for the results table. */
  hostility: string;
  moves: AgentMove[];
  /** The outcomes a contained episode on this page may have (the first is the usual one). */
  expected: ContainedOutcome[];
  /** The episode must end within this (the browser deadlines it runs into, plus margin). */
  containWithinMs: number;
}

/** Every hostile page, in the order the reports list them. */
export const HOSTILE_CASES: HostileCase[] = [
  { name: 'endless-script-on-load', path: '/endless-script-on-load', hostility: '`for (;;) {}` in the head: the page never loads', moves: [], expected: ['environment_error'], containWithinMs: 75_000 },
  { name: 'endless-script-after-load', path: '/endless-script-after-load', hostility: 'loads, then spins forever', moves: [{ kind: 'click', role: 'link', name: 'Calm page' }], expected: ['environment_error'], containWithinMs: 75_000 },
  { name: 'endless-script-on-click', path: '/endless-script-on-click', hostility: 'a button whose click handler spins forever', moves: [{ kind: 'click', role: 'button', name: 'Spin' }], expected: ['environment_error'], containWithinMs: 120_000 },
  { name: 'huge-dom', path: '/huge-dom', hostility: 'builds 200,000 DOM nodes on load', moves: [{ kind: 'scroll' }, { kind: 'click', role: 'link', name: 'Calm page' }], expected: ['scored', 'environment_error'], containWithinMs: 90_000 },
  { name: 'dialogs-on-load', path: '/dialogs-on-load', hostility: 'alert, confirm and prompt while loading', moves: [{ kind: 'click', role: 'link', name: 'Calm page' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'dialogs-on-click', path: '/dialogs-on-click', hostility: 'alert, confirm and prompt from a click', moves: [{ kind: 'click', role: 'button', name: 'Ask me' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'dialog-loop', path: '/dialog-loop', hostility: '`for (;;) alert()` after load', moves: [{ kind: 'click', role: 'link', name: 'Calm page' }], expected: ['environment_error', 'scored'], containWithinMs: 120_000 },
  { name: 'download-on-load', path: '/download-on-load', hostility: 'starts an attachment download and a blob download on load', moves: [{ kind: 'click', role: 'link', name: 'Calm page' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'download-on-click', path: '/download-on-click', hostility: 'a link to an attachment', moves: [{ kind: 'click', role: 'link', name: 'Get the file' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'popup-loop', path: '/popup-loop', hostility: '`window.open` twice every 20 ms, forever (one to another origin)', moves: [{ kind: 'scroll' }, { kind: 'scroll' }], expected: ['scored'], containWithinMs: 60_000 },
  { name: 'popup-on-click', path: '/popup-on-click', hostility: 'a click opens 200 pop-ups', moves: [{ kind: 'click', role: 'button', name: 'Open many' }], expected: ['scored'], containWithinMs: 60_000 },
  { name: 'redirect-meta', path: '/redirect-meta', hostility: 'meta refresh to another origin', moves: [], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'redirect-js', path: '/redirect-js', hostility: '`location.href` to another origin', moves: [{ kind: 'scroll' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'redirect-302-start', path: '/redirect-302', hostility: 'the start URL answers HTTP 302 to another origin', moves: [], expected: ['environment_error'], containWithinMs: 45_000 },
  { name: 'redirect-302-click', path: '/redirect-link', hostility: 'a link to an HTTP 302 to another origin', moves: [{ kind: 'click', role: 'link', name: 'Follow me' }], expected: ['scored'], containWithinMs: 30_000 },
  { name: 'beforeunload', path: '/beforeunload', hostility: 'a beforeunload prompt when the agent leaves', moves: [{ kind: 'type', role: 'textbox', name: 'Note', text: 'hello' }, { kind: 'goto', path: '/calm' }], expected: ['scored'], containWithinMs: 45_000 },
];

/** What one episode came to. */
export interface EpisodeReport {
  outcome: EpisodeOutcome | null;
  /** Set when runEpisode threw instead of returning an outcome (the activity would fail and retry). */
  thrown: string | null;
  elapsedMs: number;
  blockedRequests: BlockedRequest[];
  incidents: PageIncident[];
  stepErrors: string[];
  /** The observation text of every step, in order. */
  observations: string[];
}

/** A hostile episode, the calm episode after it, and what the other origin saw meanwhile. */
export interface HostileCaseReport {
  hostile: HostileCase;
  episode: EpisodeReport;
  control: EpisodeReport;
  /** Requests that reached the other origin during the case (must be none). */
  leakedRequests: string[];
}

function hostileTask(site: HostileSite, path: string, taskId: number): TaskConfig {
  return {
    task_id: taskId,
    sites: ['hostile'],
    intent: 'Finish on this page and answer done',
    intent_template: 'Finish on this page and answer done',
    instantiation_dict: {},
    intent_template_id: 1,
    start_url: `__HOSTILE__${path}`,
    require_login: false,
    storage_state: null,
    geolocation: null,
    require_reset: false,
    eval: { eval_types: ['string_match'], reference_answers: { exact_match: 'done' }, reference_url: '', program_html: [] },
  };
}

const reply = (action: string) => `Let me think. In summary, the next action I will perform is \`\`\`${action}\`\`\``;

/** The id of `<role> '<name>'` in the request's observation, or null. */
function findId(request: ReceivedChatRequest, role: string, name: string): string | null {
  const prompt = request.messages[request.messages.length - 1]?.content ?? '';
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\[(\\d+)\\] ${role} '${escaped}'`).exec(prompt)?.[1] ?? null;
}

function scriptOf(site: HostileSite, moves: AgentMove[]): (request: ReceivedChatRequest, index: number) => string {
  return (request, index) => {
    const move = moves[index];
    if (!move) return reply('stop [done]');
    switch (move.kind) {
      case 'scroll':
        return reply('scroll [down]');
      case 'goto':
        return reply(`goto [${site.origin}${move.path}]`);
      case 'click': {
        const id = findId(request, move.role, move.name);
        return reply(id === null ? 'stop [done]' : `click [${id}]`);
      }
      case 'type': {
        const id = findId(request, move.role, move.name);
        return reply(id === null ? 'stop [done]' : `type [${id}] [${move.text}] [0]`);
      }
    }
  };
}

/** Runs one episode of `moves` from `path` on the hostile site in the given browser. */
export async function runScriptedEpisode(browser: WorkerBrowser, site: HostileSite, path: string, moves: AgentMove[], options: { taskId?: number; traceDir?: string } = {}): Promise<EpisodeReport> {
  const model = await startScriptedModelServer(scriptOf(site, moves));
  const blockedRequests: BlockedRequest[] = [];
  const incidents: PageIncident[] = [];
  const stepErrors: string[] = [];
  const observations: string[] = [];
  const started = performance.now();
  try {
    const outcome = await runEpisode({
      task: hostileTask(site, path, options.taskId ?? 1),
      browser,
      sites: { hostile: { url: site.origin } },
      model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 10_000 }), model: 'scripted', temperature: 0 },
      maxSteps: moves.length + 2,
      onStep: async (step) => {
        if (step.error) stepErrors.push(step.error);
        observations.push(step.observation);
        await Promise.resolve();
      },
      tracePath: options.traceDir ? join(options.traceDir, `${path.replace(/\W+/g, '_')}-${Date.now()}.zip`) : undefined,
      onBlockedRequest: (request) => blockedRequests.push(request),
      onPageIncident: (incident) => incidents.push(incident),
    });
    return { outcome, thrown: null, elapsedMs: performance.now() - started, blockedRequests, incidents, stepErrors, observations };
  } catch (error) {
    return { outcome: null, thrown: error instanceof Error ? error.message : String(error), elapsedMs: performance.now() - started, blockedRequests, incidents, stepErrors, observations };
  } finally {
    await model.close();
  }
}

/** The calm page's episode: press the button, answer done (score 1 when the worker is healthy). */
export const CONTROL_MOVES: AgentMove[] = [{ kind: 'click', role: 'button', name: 'Press me' }];

/** Runs a hostile case, then the calm control episode in the same browser. */
export async function runHostileCase(browser: WorkerBrowser, site: HostileSite, hostile: HostileCase, options: { traceDir?: string } = {}): Promise<HostileCaseReport> {
  const leakedBefore = site.elsewhereRequests.length;
  const episode = await runScriptedEpisode(browser, site, hostile.path, hostile.moves, options);
  const control = await runScriptedEpisode(browser, site, '/calm', CONTROL_MOVES, options);
  return { hostile, episode, control, leakedRequests: site.elsewhereRequests.slice(leakedBefore) };
}

/** How an episode ended, in a few words. */
export function describeEpisode(report: EpisodeReport): string {
  if (report.thrown !== null) return `threw: ${report.thrown.split('\n')[0]}`;
  const outcome = report.outcome;
  if (!outcome) return 'no outcome';
  if (outcome.environmentError !== null) return `environment error: ${outcome.environmentError}`;
  return `scored ${outcome.score ?? 'null'}`;
}

/** How a contained episode ended, or null when it was not contained (it threw, or has neither a score nor an environment error). */
export function containedOutcome(report: EpisodeReport): ContainedOutcome | null {
  if (report.thrown !== null || !report.outcome) return null;
  if (report.outcome.environmentError !== null) return 'environment_error';
  return report.outcome.score === null ? null : 'scored';
}

/** A scratch folder for traces, removed by the returned function. */
export async function makeTraceDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ratchet-hostile-traces-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
