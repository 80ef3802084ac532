import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEpisodes, listSteps } from '../../src/storage/episodes';
import { listStepStates } from '../../src/storage/runs';
import type { ImprovementRunResult } from '../../src/workflows/definitions';
import { startTestStack, type TestStack } from '../support/stack';
import { recordHistoryFixture, smallRunSpec, startRun } from '../support/runs';

let stack: TestStack;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  stack = await startTestStack();
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection, namespace: stack.namespace });
});
afterAll(async () => {
  await connection?.close();
  await stack?.teardown();
});

const ROUND_STEPS = ['generate', 'rollout', 'critique', 'mix', 'finetune', 'evaluate'];

describe('improvementRun', { timeout: 600_000 }, () => {
  it('completes a two-round run with every step in order and every row written once', async () => {
    const spec = smallRunSpec('two-rounds', { rounds: 2 });
    const { runId, handle } = await startRun(client, stack.deps.db, spec);
    const result: ImprovementRunResult = await handle.result();
    expect(result.roundsCompleted).toBe(2);
    expect(result.stopReason).toContain('round budget');

    const states = await listStepStates(stack.deps.db, runId);
    for (const round of [1, 2]) {
      const steps = states.filter((state) => state.workflow_id === `${runId}/round-${round}`);
      expect(steps.map((state) => state.step)).toEqual(ROUND_STEPS);
      expect(steps.every((state) => state.status === 'completed')).toBe(true);
      // Completion times follow the round's order.
      const times = steps.map((state) => state.updated_at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
    expect(states.filter((state) => state.workflow_id === runId).map((state) => state.step)).toEqual(['prepare', 'trivial-baseline', 'baseline', 'round-1', 'gate-1', 'round-2', 'gate-2']);

    // Each (purpose, task, sample) has exactly one episode; each episode's steps are 0..n-1 once each.
    const episodes = await listEpisodes(stack.deps.db, { runId });
    const evaluations = new Set(episodes.map((episode) => episode.evaluation_id ?? `train-${episode.round}`));
    expect(evaluations.size).toBe(2 + 2 + 2); // trivial + baseline + 2 round evaluations + 2 train rollouts
    for (const episode of episodes) {
      expect(episode.status).toBe('completed');
      const steps = await listSteps(stack.deps.db, episode.id);
      expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index));
    }
    const trainRound1 = episodes.filter((episode) => episode.purpose === 'train' && episode.round === 1);
    expect(new Set(trainRound1.map((episode) => episode.task_id)).size).toBe(trainRound1.length);
    expect(trainRound1.length).toBe(3);

    const models = await stack.deps.db.query(`SELECT id, parent_model_id, dataset_id, round FROM models WHERE run_id = $1 AND status = 'ready' ORDER BY round`, [runId]);
    expect(models.rows).toHaveLength(2);
    const datasets = await stack.deps.db.query('SELECT id FROM datasets WHERE run_id = $1', [runId]);
    expect(datasets.rows).toHaveLength(2);

    await recordHistoryFixture(client, runId, 'improvement-run');
    await recordHistoryFixture(client, `${runId}/round-1`, 'improvement-round');
    await recordHistoryFixture(client, `${runId}/round-1/rollout`, 'rollout');
    await recordHistoryFixture(client, `${runId}/round-1/evaluate`, 'evaluation');
  });
});
