import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreActivities } from '../../src/activities/store';
import { smallRunSpec } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { asActivity, prepareRound } from './run-fixture';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ workerQueues: [] });
}, 120_000);
afterAll(async () => {
  await stack?.teardown();
});

/** The round-1 pool and the held-out evaluation tasks a run of `spec` gets. */
async function tasksOf(runId: string, seed: number) {
  const spec = smallRunSpec('sampling', { seed, suite: { path: 'builtin', taskLimit: 5 } });
  const { suiteId, baseModelId } = await prepareRound(stack.deps, spec, runId);
  const store = createStoreActivities(stack.deps);
  const pool = await asActivity(() => store.selectTaskPool({ runId, round: 1 }));
  const evaluation = await asActivity(() => store.createEvaluation({
    evaluationId: `${runId}/baseline`, modelId: baseModelId, suiteId, split: 'eval', label: 'base', runId, round: null, samplesPerTask: 1, concurrency: 1, failureBudget: 0,
  }));
  return { pool: pool.taskIds, evaluation: evaluation.taskIds };
}

describe('task sampling under a task limit', { timeout: 120_000 }, () => {
  it('gives two runs of the same spec the same pool and evaluation tasks, and another seed other tasks', async () => {
    const first = await tasksOf('sampling-first', 3);
    expect(first.pool).toHaveLength(5);
    expect(first.evaluation).toHaveLength(5);
    expect(await tasksOf('sampling-second', 3)).toEqual(first);
    const otherSeed = await tasksOf('sampling-other-seed', 4);
    expect(otherSeed.pool).not.toEqual(first.pool);
    expect(otherSeed.evaluation).not.toEqual(first.evaluation);
  });
});
