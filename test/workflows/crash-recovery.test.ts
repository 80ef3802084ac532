import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEpisodes, listSteps } from '../../src/storage/episodes';
import type { ImprovementRunResult } from '../../src/workflows/definitions';
import { resultOrOperatorWait, smallRunSpec, startRun, waitUntil } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { spawnWorkerProcess, stopProcess } from '../support/worker-process';

let stack: TestStack;
let client: Client;
const workers: Array<ReturnType<typeof spawnWorkerProcess>> = [];

beforeAll(async () => {
  stack = await startTestStack({ workerQueues: [] });
  client = stack.client;
});
afterAll(async () => {
  for (const worker of workers) await stopProcess(worker, 'SIGKILL');
  await stack?.teardown();
});

describe('crash recovery', { timeout: 600_000 }, () => {
  it('finishes a run after its worker is SIGKILLed mid-episode, with nothing duplicated and nothing lost', async () => {
    workers.push(spawnWorkerProcess(stack, 'worker-1'));
    const spec = smallRunSpec('crash', { suite: { path: 'builtin', taskLimit: 3 } });
    const { runId, handle } = await startRun(client, stack.deps.db, spec);

    // Kill the worker while an episode is part-way through (it has stored steps but not finished).
    const victim = await waitUntil('an episode with stored steps that is still running', async () => {
      const running = (await listEpisodes(stack.deps.db, { runId })).filter((episode) => episode.status === 'running');
      for (const episode of running) if ((await listSteps(stack.deps.db, episode.id)).length > 0) return episode;
      return undefined;
    }, 180_000, 100);
    await stopProcess(workers[0]!, 'SIGKILL');
    workers.push(spawnWorkerProcess(stack, 'worker-2'));

    const result = await resultOrOperatorWait<ImprovementRunResult>(client, handle.workflowId);
    expect(result.roundsCompleted).toBe(1);
    const episodes = await listEpisodes(stack.deps.db, { runId });
    expect(episodes.every((episode) => episode.status === 'completed')).toBe(true);
    const again = episodes.find((episode) => episode.id === victim.id);
    expect(again?.status).toBe('completed');
    for (const episode of episodes) {
      const steps = await listSteps(stack.deps.db, episode.id);
      expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index));
    }
    // One episode per (evaluation or round, task): 3 tasks x (trivial, baseline, train, round evaluation).
    expect(episodes).toHaveLength(3 * 4);
    const attempts = await stack.deps.db.query<{ attempt: number }>('SELECT attempt FROM episodes WHERE id = $1', [victim.id]);
    expect(attempts.rows[0]?.attempt).toBeGreaterThanOrEqual(2);
  });
});
