import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpisodeOutcome, StepRecord } from '../../src/domain/trajectory';
import { openDatabase } from '../../src/storage/database';
import { beginEpisode, completeEpisode, insertStep, listEpisodes, listSteps } from '../../src/storage/episodes';
import { upsertModel } from '../../src/storage/models';
import { getRun, insertRun, listStepStates, recordStepState } from '../../src/storage/runs';
import { listTasks, upsertSuite } from '../../src/storage/tasks';
import { createTestDatabase } from '../support/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase(database.url);
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

function step(index: number): StepRecord {
  return {
    index, url: 'http://127.0.0.1/x', observation: '[1] RootWebArea', objective: 'o', previousAction: 'None',
    promptMessages: [{ role: 'user', content: 'p' }], response: '```stop [a]```', action: { name: 'stop', answer: 'a' },
    actionText: 'stop [a]', actionDescription: 'stop [a]', valid: true, invalidKind: null, error: null,
    promptTokens: 10, completionTokens: 5, timings: { modelMs: 1, actionMs: 1, observationMs: 1 },
  };
}

describe('storage repositories', () => {
  it('inserts a run once and refuses the same id with another spec', async () => {
    await insertRun(db, { id: 'run-a', spec: { name: 'a' }, specHash: 'h1', gitRevision: null });
    await insertRun(db, { id: 'run-a', spec: { name: 'a' }, specHash: 'h1', gitRevision: null });
    expect((await getRun(db, 'run-a'))?.status).toBe('running');
    await expect(insertRun(db, { id: 'run-a', spec: { name: 'b' }, specHash: 'h2', gitRevision: null })).rejects.toThrow(/different spec/);
  });

  it('keeps one row per step state, updated in place', async () => {
    await recordStepState(db, { workflowId: 'run-a/round-1', step: 'rollout', runId: 'run-a', round: 1, status: 'running', attempts: 1 });
    await recordStepState(db, { workflowId: 'run-a/round-1', step: 'rollout', runId: 'run-a', round: 1, status: 'waiting_for_operator', attempts: 1, error: 'boom' });
    const states = await listStepStates(db, 'run-a');
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ status: 'waiting_for_operator', error: 'boom' });
  });

  it('imports a suite once however often it is imported', async () => {
    const tasks = [0, 1, 2].map((taskId) => ({ taskId, intentTemplateId: taskId, capabilityId: `template-${taskId}`, split: 'train' as const, sites: ['shopping'], writes: false, config: { task_id: taskId } }));
    await upsertSuite(db, { id: 's@1', name: 's', source: 'x', splits: null, contentHash: '1', tasks });
    await upsertSuite(db, { id: 's@1', name: 's', source: 'x', splits: null, contentHash: '1', tasks });
    expect(await listTasks(db, 's@1')).toHaveLength(3);
  });

  it('restarts an episode cleanly: a retried attempt drops the dead attempt\'s steps and never duplicates one', async () => {
    await upsertModel(db, { id: 'm', runId: null, provider: 'openai-compatible', providerModel: 'm', endpoint: { baseUrl: 'local' }, status: 'base' });
    const key = { id: 'run-a/round-1/train/0/0', runId: 'run-a', round: 1, evaluationId: null, purpose: 'train', suiteId: 's@1', taskId: 0, modelId: 'm', sample: 0 };
    await beginEpisode(db, key, 1);
    await insertStep(db, key.id, step(0));
    await insertStep(db, key.id, step(1));
    await beginEpisode(db, key, 2);
    expect(await listSteps(db, key.id)).toHaveLength(0);
    await insertStep(db, key.id, step(0));
    await insertStep(db, key.id, step(0));
    const outcome: EpisodeOutcome = {
      answer: 'a', finalResponse: 'r', finalUrl: 'u', earlyStopReason: null, environmentError: null, length: 1, invalidActionCount: 0,
      promptTokens: 10, completionTokens: 5, score: 1, evaluatorVersion: 'v', evaluatorDetails: [],
    };
    await completeEpisode(db, key.id, outcome, null);
    expect(await listSteps(db, key.id)).toHaveLength(1);
    const [episode] = await listEpisodes(db, { runId: 'run-a' });
    expect(episode).toMatchObject({ status: 'completed', score: 1, length: 1 });
  });
});
