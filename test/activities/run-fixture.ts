import { MockActivityEnvironment } from '@temporalio/testing';
import { createBrowserActivities } from '../../src/activities/browser';
import type { ActivityDependencies } from '../../src/activities/dependencies';
import { createStoreActivities } from '../../src/activities/store';
import type { RunSpec } from '../../src/config/run-spec';
import { contentHash } from '../../src/domain/content-hash';
import { insertRun } from '../../src/storage/runs';

/** Runs a call inside a fresh mock activity context (heartbeats are accepted and dropped). */
export function asActivity<R>(call: () => Promise<R>): Promise<R> {
  return new MockActivityEnvironment().run(call);
}

/** A run stored in the database with round 1 started on the base model, as the round workflow leaves it after `startRound`. */
export async function prepareRound(deps: ActivityDependencies, spec: RunSpec, runId: string): Promise<{ suiteId: string; baseModelId: string }> {
  await insertRun(deps.db, { id: runId, spec, specHash: contentHash(spec), gitRevision: null });
  const store = createStoreActivities(deps);
  const plan = await asActivity(() => store.prepareRun({ runId }));
  await asActivity(() => store.startRound({ runId, round: 1, inputModelId: plan.baseModelId }));
  return { suiteId: plan.suiteId, baseModelId: plan.baseModelId };
}

/** Round 1's in-domain rollout: real episodes of the base model on the built-in sites, one per pool task. */
export async function rollOutRound(deps: ActivityDependencies, runId: string, baseModelId: string): Promise<number> {
  const store = createStoreActivities(deps);
  const browser = createBrowserActivities(deps);
  const pool = await asActivity(() => store.selectTaskPool({ runId, round: 1 }));
  for (const taskId of pool.taskIds) {
    await asActivity(() => browser.runEpisode({
      episodeId: `${runId}/round-1/train/${taskId}/0`, runId, round: 1, evaluationId: null, purpose: 'train',
      suiteId: pool.suiteId, taskId, sample: 0, modelId: baseModelId,
    }));
  }
  return pool.taskIds.length;
}
