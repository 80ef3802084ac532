import { createServer } from 'node:net';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentEpisode } from '../../src/agent/run-agent-episode';
import { runEpisode } from '../../src/agent/run-episode';
import { openEpisodeEnvironment } from '../../src/browser/open-episode-environment';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { stepRecordSchema, type StepRecord } from '../../src/domain/trajectory';
import { classifyModelError, createModelClient } from '../../src/llm/model-client';
import type { TaskConfig } from '../../src/tasks/task-config';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';
import { fixtureTask } from '../browser/fixture-task';
import { findIdInPrompt, startScriptedModelServer, type ReceivedChatRequest, type ScriptedReply } from './scripted-model-server';

let site: FixtureServer;
const browser = new WorkerBrowser();

beforeAll(async () => {
  site = await serveFixturePages();
});

afterAll(async () => {
  await browser.close();
  await site?.close();
});

const summary = (action: string): string => `I look at the page. In summary, the next action I will perform is \`\`\`${action}\`\`\``;

function playgroundTask(overrides: Partial<TaskConfig> = {}): TaskConfig {
  return fixtureTask(`${site.origin}/action-playground.html`, {
    intent: 'Press the button and report the status line',
    eval: { eval_types: ['string_match'], reference_answers: { exact_match: 'Clicked the button' }, reference_url: '', program_html: [] },
    ...overrides,
  });
}

/** Runs one episode on the playground against a scripted model over real HTTP. */
async function runScripted(script: (request: ReceivedChatRequest, index: number) => ScriptedReply, options: { task?: TaskConfig; sites?: Record<string, { url: string }> } = {}) {
  const model = await startScriptedModelServer(script);
  const environment = await openEpisodeEnvironment({ browser, task: options.task ?? playgroundTask(), sites: options.sites ?? { fixture: { url: site.origin } } });
  const steps: StepRecord[] = [];
  try {
    const result = await runAgentEpisode({
      task: options.task ?? playgroundTask(),
      environment,
      model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 10_000 }), model: 'scripted', temperature: 0.5, topP: 0.9, seed: 7 },
      onStep: async (step) => {
        steps.push(stepRecordSchema.parse(step));
        await Promise.resolve();
      },
    });
    return { ...result, steps, requests: model.requests, status: await result.finalPage.locator('#status').textContent({ timeout: 2_000 }).catch(() => null) };
  } finally {
    await environment.close();
    await model.close();
  }
}

describe('runAgentEpisode against a scripted OpenAI-compatible server', () => {
  it('acts, recovers from an unparsable reply, stops with an answer, and records every step', async () => {
    const { outcome, steps, requests, status } = await runScripted((request, index) => {
      if (index === 0) return summary(`click [${findIdInPrompt(request, 'button', 'Press me')}]`);
      if (index === 1) return 'I think I should stop now.';
      return summary('stop [Clicked the button]');
    });
    expect(status).toBe('Clicked the button');
    expect(outcome).toMatchObject({ answer: 'Clicked the button', earlyStopReason: null, environmentError: null, length: 3, invalidActionCount: 1, promptTokens: 101 + 102 + 103, completionTokens: 30 });
    expect(outcome.finalUrl).toBe(`${site.origin}/action-playground.html`);
    expect(steps.map((step) => [step.index, step.valid, step.invalidKind, step.actionText])).toEqual([
      [0, true, null, steps[0]?.actionText],
      [1, false, 'unparsable', null],
      [2, true, null, 'stop [Clicked the button]'],
    ]);
    expect(steps[0]?.actionText).toMatch(/^click \[\d+\]$/);
    expect(steps[0]?.previousAction).toBe('None');
    expect(steps[1]?.previousAction).toMatch(/^click \[(\d+)\] where \[\1\] is button 'Press me'$/);
    expect(steps[1]?.observation).toContain("StaticText 'Clicked the button'");
    expect(steps[2]?.previousAction).toContain('not in the right format');

    const last = requests[2];
    expect(last).toMatchObject({ model: 'scripted', temperature: 0.5, top_p: 0.9, max_tokens: 384, seed: 7 });
    expect(last?.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(last?.messages[5]?.content).toBe(`OBSERVATION:\n${steps[2]?.observation}\nURL: ${site.origin}/action-playground.html\nOBJECTIVE: Press the button and report the status line\nPREVIOUS ACTION: ${steps[2]?.previousAction}`);
    expect(steps[2]?.promptMessages).toEqual(last?.messages);
  });

  it('stops early after the same action three times, scoring the early-stop text, without a fourth model call', async () => {
    const { outcome, requests, steps } = await runScripted((request) => summary(`hover [${findIdInPrompt(request, 'button', 'Hover me')}]`));
    expect(requests).toHaveLength(3);
    expect(steps).toHaveLength(3);
    expect(outcome).toMatchObject({ earlyStopReason: 'repeated_actions', answer: 'Early stop: the same action was repeated 3 times in a row', length: 3 });
  });

  it('stops early after three unparsable replies', async () => {
    const { outcome, requests } = await runScripted(() => 'click the button please');
    expect(requests).toHaveLength(3);
    expect(outcome).toMatchObject({ earlyStopReason: 'parse_failures', invalidActionCount: 3 });
    expect(outcome.answer).toBe('Early stop: the last 3 outputs could not be parsed as actions');
  });

  it('treats an id that is not on the page as a missing element and says so in the next prompt', async () => {
    const { outcome, steps } = await runScripted((_request, index) => (index === 0 ? summary('click [987654]') : summary('stop [N/A]')));
    expect(steps[0]).toMatchObject({ valid: false, invalidKind: 'missing_element', error: 'no element [987654] in the observation' });
    expect(steps[1]?.previousAction).toContain('no element with id [987654] was found');
    expect(outcome).toMatchObject({ answer: 'N/A', invalidActionCount: 1, length: 2 });
  });

  it('stops between steps when the signal aborts (the caller cancelled the activity)', async () => {
    const controller = new AbortController();
    const model = await startScriptedModelServer((request) => summary(`click [${findIdInPrompt(request, 'button', 'Press me')}]`));
    const environment = await openEpisodeEnvironment({ browser, task: playgroundTask(), sites: { fixture: { url: site.origin } } });
    try {
      const attempt = runAgentEpisode({
        task: playgroundTask(),
        environment,
        model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 10_000 }), model: 'scripted', temperature: 0 },
        onStep: () => {
          controller.abort(new Error('activity cancelled'));
          return Promise.resolve();
        },
        signal: controller.signal,
      });
      await expect(attempt).rejects.toThrow('activity cancelled');
      expect(model.requests).toHaveLength(1);
    } finally {
      await environment.close();
      await model.close();
    }
  });

  it('lets a failing model call propagate as a retryable error', async () => {
    const attempt = runScripted(() => ({ status: 503, message: 'overloaded' }));
    const error = await attempt.then(() => null, (caught: unknown) => caught);
    expect(error).not.toBeNull();
    expect(classifyModelError(error, 'agent step')).toMatchObject({ retryable: true, status: 503 });
  });

  it('ends the episode with environmentError when a task site stops answering', async () => {
    const deadPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const task = playgroundTask({ sites: ['fixture', 'other'] });
    const { outcome, steps } = await runScripted(() => summary(`goto [http://127.0.0.1:${deadPort}/]`), { task, sites: { fixture: { url: site.origin }, other: { url: `http://127.0.0.1:${deadPort}` } } });
    expect(steps).toHaveLength(1);
    expect(outcome.answer).toBeNull();
    expect(outcome.environmentError).toMatch(/did not answer .*ERR_CONNECTION_REFUSED/);
    expect(steps[0]?.error).toBe(outcome.environmentError);
  });
});

describe('runEpisode', () => {
  it('opens the environment, runs the agent, evaluates on the final page, writes the trace, and leaves the browser reusable', async () => {
    const model = await startScriptedModelServer((request, index) =>
      index === 0 ? summary(`click [${findIdInPrompt(request, 'button', 'Press me')}]`) : summary('stop [Clicked the button]'),
    );
    const tracePath = join(await mkdtemp(join(tmpdir(), 'ratchet-run-episode-')), 'trace.zip');
    try {
      const run = (task: TaskConfig, path?: string) =>
        runEpisode({
          task,
          browser,
          sites: { fixture: { url: site.origin } },
          model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 10_000 }), model: 'scripted', temperature: 0 },
          onStep: () => Promise.resolve(),
          tracePath: path,
        });
      const outcome = await run(playgroundTask(), tracePath);
      expect(outcome).toMatchObject({ answer: 'Clicked the button', score: 1, evaluatorVersion: 'webarena-compat-1', length: 2 });
      expect(outcome.evaluatorDetails).toHaveLength(1);
      expect((await stat(tracePath)).size).toBeGreaterThan(1000);

      const wrong = await run(playgroundTask({ eval: { eval_types: ['string_match'], reference_answers: { exact_match: 'Hovered' }, reference_url: '', program_html: [] } }));
      expect(wrong.score).toBe(0);
      expect((await browser.browser()).contexts()).toHaveLength(0);
    } finally {
      await model.close();
    }
  });
});
