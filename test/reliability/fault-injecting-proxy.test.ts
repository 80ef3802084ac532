import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_FAILURE_ATTEMPTS, toActivityFailure, toModelCallFailure } from '../../src/activities/activity-failure';
import { classifyModelError, createModelClient, type ModelCallError } from '../../src/llm/model-client';
import { DEFAULT_FAULTS, parseFaultList, startFaultInjectingProxy, type FaultKind, type FaultProxy, type ProxiedRequest } from '../../src/reliability/fault-injecting-proxy';
import { prepareRound } from '../activities/run-fixture';
import type { oodSynthesisStep } from './fault-workflows';
import { smallRunSpec } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let target: string;

beforeAll(async () => {
  // Temporal, PostgreSQL, the local model server, and a worker for the llm queue (the production OOD activity).
  stack = await startTestStack({ workerQueues: ['llm'] });
  target = stack.local.modelBaseUrl ?? '';
}, 180_000);
afterAll(async () => {
  await stack?.teardown();
});

const CHAT = { model: 'ratchet-base', messages: [{ role: 'user' as const, content: 'OBJECTIVE: find the price of the cheapest toaster' }] };

/** Makes one chat completion through a proxy that faults every request with `kind`, and returns the classified error. */
async function classifiedFault(kind: FaultKind, timeoutMs = 10_000): Promise<{ error: ModelCallError; elapsedMs: number; proxy: FaultProxy }> {
  const proxy = await startFaultInjectingProxy({ target, rate: 1, faults: [kind], retryAfterSeconds: 3 });
  try {
    const client = createModelClient({ baseUrl: proxy.url, timeoutMs });
    const started = Date.now();
    const error = await client.chat.completions.create(CHAT).then(
      () => { throw new Error(`a ${kind} fault let the call succeed`); },
      (thrown: unknown) => classifyModelError(thrown, 'chat completion'),
    );
    return { error, elapsedMs: Date.now() - started, proxy };
  } finally {
    await proxy.close();
  }
}

describe('fault-injecting proxy with the real openai client', { timeout: 60_000 }, () => {
  it('forwards requests untouched at rate 0: a real completion and real embeddings come back', async () => {
    const proxy = await startFaultInjectingProxy({ target, rate: 0 });
    try {
      expect(proxy.url).toMatch(/\/v1$/);
      const client = createModelClient({ baseUrl: proxy.url, timeoutMs: 10_000 });
      const completion = await client.chat.completions.create(CHAT);
      expect(typeof completion.choices[0]?.message.content).toBe('string');
      const embeddings = await client.embeddings.create({ model: 'ratchet-base', input: ['a', 'b'] });
      expect(embeddings.data).toHaveLength(2);
      expect(proxy.stats()).toMatchObject({ requests: 2, forwarded: 2, injected: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('classifies 429 as retryable and carries Retry-After as the next retry delay of the Temporal failure', async () => {
    const { error, proxy } = await classifiedFault('rate-limit');
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3_000, kind: 'http' });
    expect(proxy.stats().byKind['rate-limit']).toBe(1);
    const failure = toModelCallFailure(error, 'chat completion');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'HTTP429', nonRetryable: false, nextRetryDelay: 3_000 });
  });

  it.each([['server-error', 500], ['unavailable', 503]] as const)('classifies %s (HTTP %i) as retryable with no fixed delay', async (kind, status) => {
    const { error } = await classifiedFault(kind);
    expect(error).toMatchObject({ retryable: true, status, retryAfterMs: undefined });
    expect(toModelCallFailure(error, 'chat completion')).toMatchObject({ type: `HTTP${status}`, nonRetryable: false });
  });

  it('classifies an answer that never comes as a retryable timeout after the client deadline', async () => {
    const { error, elapsedMs, proxy } = await classifiedFault('timeout', 1_500);
    expect(error).toMatchObject({ retryable: true, kind: 'timeout', status: undefined });
    expect(elapsedMs).toBeGreaterThanOrEqual(1_400);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(proxy.stats().byKind.timeout).toBe(1);
    expect(toModelCallFailure(error, 'chat completion')).toMatchObject({ type: 'ModelTimeout', nonRetryable: false });
  });

  it('classifies a reset connection as a retryable connection failure', async () => {
    const { error } = await classifiedFault('connection-reset');
    expect(error).toMatchObject({ retryable: true, kind: 'connection' });
    expect(error.message).toMatch(/connection failed/);
    expect(toModelCallFailure(error, 'chat completion')).toMatchObject({ type: 'ModelConnectionError', nonRetryable: false });
  });

  it.each([
    ['truncated-body', /body was cut off/],
    ['malformed-json', /malformed JSON/],
    ['non-json', /text\/html.* where JSON was expected/],
  ] as const)('classifies a 200 with a %s body as a retryable unreadable answer that says what was wrong', async (kind, pattern) => {
    const { error } = await classifiedFault(kind);
    expect(error).toMatchObject({ retryable: true, kind: 'unreadable-response', status: undefined });
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain('POST /v1/chat/completions');
    expect(toModelCallFailure(error, 'chat completion')).toMatchObject({ type: 'UnreadableModelResponse', nonRetryable: false });
  });

  it('classifies 401 as final: the Temporal failure is non-retryable', async () => {
    const { error } = await classifiedFault('unauthorized');
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(toModelCallFailure(error, 'chat completion')).toMatchObject({ type: 'HTTP401', nonRetryable: true });
  });

  it('leaves errors that are not model-endpoint errors to Temporal unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(toModelCallFailure(bug, 'episode e')).toBe(bug);
  });

  it('gives failures other than model faults 3 attempts: retryable before, final at the third', async () => {
    const bug = new TypeError('x is undefined');
    expect(toActivityFailure(bug, 'episode e', 2)).toBe(bug);
    expect(toActivityFailure(bug, 'episode e', OTHER_FAILURE_ATTEMPTS)).toMatchObject({ type: 'TypeError', nonRetryable: true, message: expect.stringContaining('episode e: x is undefined') as unknown });
    // A model fault at a late attempt stays retryable: the larger budget is for these.
    const { error } = await classifiedFault('server-error');
    expect(toActivityFailure(error, 'episode e', 12)).toMatchObject({ type: 'HTTP500', nonRetryable: false });
  });

  it('caps a retryable ApplicationFailure that is not a model fault (a trainer that exits non-zero) at 3 attempts too', () => {
    const trainerFailed = ApplicationFailure.retryable("fine-tune command 'train' exited with 1", 'CommandFailed');
    expect(toActivityFailure(trainerFailed, 'launchFineTune', 2)).toBe(trainerFailed);
    expect(toActivityFailure(trainerFailed, 'launchFineTune', OTHER_FAILURE_ATTEMPTS)).toMatchObject({ type: 'CommandFailed', nonRetryable: true });
    const alreadyFinal = ApplicationFailure.nonRetryable('dataset d has no training examples', 'EmptyDataset');
    expect(toActivityFailure(alreadyFinal, 'launchFineTune', 1)).toBe(alreadyFinal);
  });

  it('draws the same faults for the same seed, others for another seed, at about the asked rate', async () => {
    const sequenceFor = async (seed: number): Promise<Array<FaultKind | null>> => {
      const seen: Array<FaultKind | null> = [];
      const proxy = await startFaultInjectingProxy({ target, rate: 0.3, seed, faults: ['rate-limit', 'server-error', 'non-json'] }, { onRequest: (request) => seen.push(request.fault) });
      try {
        const client = createModelClient({ baseUrl: proxy.url, timeoutMs: 10_000 });
        for (let index = 0; index < 60; index += 1) await client.embeddings.create({ model: 'ratchet-base', input: `text ${index}` }).catch(() => undefined);
        expect(proxy.stats().injected).toBe(seen.filter(Boolean).length);
      } finally {
        await proxy.close();
      }
      return seen;
    };
    const first = await sequenceFor(11);
    expect(await sequenceFor(11)).toEqual(first);
    expect(await sequenceFor(12)).not.toEqual(first);
    const faulted = first.filter(Boolean).length;
    // Binomial(60, 0.3): mean 18, sd 3.5; these bounds are 4 sd away.
    expect(faulted).toBeGreaterThanOrEqual(4);
    expect(faulted).toBeLessThanOrEqual(32);
    expect(new Set(first.filter(Boolean))).toEqual(new Set(['rate-limit', 'server-error', 'non-json']));
  });

  it('rejects bad options with errors that name them', async () => {
    await expect(startFaultInjectingProxy({ target, rate: 1.5 })).rejects.toThrow(/rate/);
    await expect(startFaultInjectingProxy({ target: 'ftp://example.com/v1', rate: 0.1 })).rejects.toThrow(/http or https/);
    expect(() => parseFaultList('timeout,teapot')).toThrow(/unknown fault "teapot"/);
    expect(parseFaultList('timeout, rate-limit')).toEqual(['timeout', 'rate-limit']);
    expect(DEFAULT_FAULTS).not.toContain('unauthorized');
  });
});

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

describe('model faults in a Temporal activity (the production OOD-synthesis activity and retry policy)', { timeout: 240_000 }, () => {
  let connection: NativeConnection;
  let worker: Worker;
  let workerRun: Promise<void>;
  let proxy: FaultProxy;
  const requests: ProxiedRequest[] = [];
  /** Turns faults off after the first one, so the retry finds the endpoint healthy. */
  let faultOnce = false;
  const taskQueue = `fault-test-${Date.now()}`;

  beforeAll(async () => {
    proxy = await startFaultInjectingProxy({ target, rate: 0, retryAfterSeconds: 3 }, {
      onRequest: (request) => {
        requests.push(request);
        if (faultOnce && request.fault) proxy.configure({ rate: 0 });
      },
    });
    connection = await NativeConnection.connect({ address: stack.temporalAddress });
    worker = await Worker.create({ connection, namespace: stack.namespace, taskQueue, workflowsPath: fileURLToPath(new URL('./fault-workflows.ts', import.meta.url)) });
    workerRun = worker.run();
  }, 180_000);
  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await connection?.close();
    await proxy?.close();
  });

  /** A run whose generator and embeddings go through the proxy, stored with round 1 started. */
  async function preparedRun(name: string) {
    const endpoint = { baseUrl: proxy.url, model: 'ratchet-base', timeoutMs: 5_000 };
    const spec = smallRunSpec(name, { generator: endpoint, embeddings: endpoint, ood: { count: 1 } });
    const runId = `${name}-${Date.now()}`;
    const { baseModelId } = await prepareRound(stack.deps, spec, runId);
    return { runId, input: { runId, round: 1, modelId: baseModelId } };
  }

  async function activityEvents(workflowId: string): Promise<HistoryEvent[]> {
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes || event.activityTaskFailedEventAttributes || event.activityTaskCompletedEventAttributes);
  }

  it('retries a 429 after the Retry-After delay and completes; the history shows attempt 2 with the classified failure', async () => {
    const { runId, input } = await preparedRun('fault-retryable');
    requests.length = 0;
    faultOnce = true;
    proxy.configure({ rate: 1, faults: ['rate-limit'] });
    let result;
    try {
      result = await stack.client.workflow.execute<typeof oodSynthesisStep>('oodSynthesisStep', { taskQueue, workflowId: `${runId}/ood-step`, args: [input] });
    } finally {
      faultOnce = false;
      proxy.configure({ rate: 0 });
    }
    expect(result.created).toBe(1);

    const faulted = requests.filter((request) => request.fault === 'rate-limit');
    expect(faulted).toHaveLength(1);
    const next = requests.find((request) => request.sequence > faulted[0]!.sequence);
    // Retry-After: 3 s, where the policy's own first interval is 1 s.
    expect(next!.at - faulted[0]!.at).toBeGreaterThanOrEqual(2_900);

    const events = await activityEvents(`${runId}/ood-step`);
    const started = events.find((event) => event.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(started?.attempt).toBe(2);
    expect(started?.lastFailure?.message).toMatch(/OOD synthesis .*HTTP 429/);
    expect(started?.lastFailure?.applicationFailureInfo?.type).toBe('HTTP429');
    expect(events.some((event) => event.activityTaskCompletedEventAttributes)).toBe(true);
  });

  it('fails the step at once on a 401: one attempt, one request, a non-retryable HTTP401 failure', async () => {
    const { runId, input } = await preparedRun('fault-final');
    requests.length = 0;
    proxy.configure({ rate: 1, faults: ['unauthorized'] });
    let failure: unknown;
    try {
      await stack.client.workflow.execute<typeof oodSynthesisStep>('oodSynthesisStep', { taskQueue, workflowId: `${runId}/ood-step`, args: [input] });
    } catch (error) {
      failure = error;
    } finally {
      proxy.configure({ rate: 0 });
    }
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (failure as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = (activityFailure as ActivityFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'HTTP401', nonRetryable: true });
    expect(requests).toHaveLength(1);

    const events = await activityEvents(`${runId}/ood-step`);
    expect(events.find((event) => event.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect(events.find((event) => event.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure?.message).toMatch(/HTTP 401/);
  });
});
