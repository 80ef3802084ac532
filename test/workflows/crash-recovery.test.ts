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
    // Episodes of the small pool take 1-3 steps, so one may finish between the poll and the kill:
    // the row read after the kill (nobody can change it then) says whether the kill interrupted it,
    // and if not, a fresh worker goes on and the next running episode is the victim.
    const passedOver = new Set<string>();
    let victimId: string | undefined;
    for (let kill = 1; kill <= 5 && !victimId; kill += 1) {
      const candidate = await waitUntil('an episode with stored steps that is still running', async () => {
        const running = (await listEpisodes(stack.deps.db, { runId })).filter((episode) => episode.status === 'running' && !passedOver.has(episode.id));
        for (const episode of running) if ((await listSteps(stack.deps.db, episode.id)).length > 0) return episode;
        return undefined;
      }, 180_000, 50);
      await stopProcess(workers.at(-1)!, 'SIGKILL');
      const { rows } = await stack.deps.db.query<{ status: string }>('SELECT status FROM episodes WHERE id = $1', [candidate.id]);
      if (rows[0]?.status === 'running') victimId = candidate.id;
      else passedOver.add(candidate.id);
      workers.push(spawnWorkerProcess(stack, `worker-${kill + 1}`));
    }
    if (!victimId) throw new Error(`no kill of 5 landed while an episode was running (each finished first: ${[...passedOver].join(', ')})`);

    const result = await resultOrOperatorWait<ImprovementRunResult>(client, handle.workflowId);
    expect(result.roundsCompleted).toBe(1);
    const episodes = await listEpisodes(stack.deps.db, { runId });
    expect(episodes.every((episode) => episode.status === 'completed')).toBe(true);
    const again = episodes.find((episode) => episode.id === victimId);
    expect(again?.status).toBe('completed');
    for (const episode of episodes) {
      const steps = await listSteps(stack.deps.db, episode.id);
      expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index));
    }
    // One episode per (evaluation or round, task): 3 tasks x (trivial, baseline, train, round evaluation).
    expect(episodes).toHaveLength(3 * 4);
    const attempts = await stack.deps.db.query<{ attempt: number }>('SELECT attempt FROM episodes WHERE id = $1', [victimId]);
    expect(attempts.rows[0]?.attempt).toBeGreaterThanOrEqual(2);
  });
});
