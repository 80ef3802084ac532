import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listStepStates } from '../../src/storage/runs';
import { retryStepSignal, skipStepSignal } from '../../src/workflows/definitions';
import { startTestStack, type TestStack } from '../support/stack';
import { smallRunSpec, startRun, statusOf, waitUntil } from '../support/runs';

let stack: TestStack;
let client: Client;

beforeAll(async () => {
  stack = await startTestStack();
  client = stack.client;
});
afterAll(async () => {
  await stack?.teardown();
});

/** A fine-tune step that fails until `flag` exists: an external trainer that is "broken" until fixed. */
function specWithTrainerNeedingFlag(name: string, flag: string) {
  return smallRunSpec(name, {
    suite: { path: 'builtin', taskLimit: 2 },
    finetune: {
      provider: {
        provider: 'command',
        command: [process.execPath, '-e', `if (!require('fs').existsSync(${JSON.stringify(flag)})) { console.error('trainer: license file missing'); process.exit(3); } console.log('trained')`],
        servedAt: { baseUrl: stack.local.modelBaseUrl },
        modelName: 'ratchet-base',
      },
    },
  });
}

describe('operator control', { timeout: 600_000 }, () => {
  it('waits for an operator when a step keeps failing, and retryStep completes it once the cause is fixed', async () => {
    const flag = join(stack.dataDir, 'trainer-license');
    const { runId, handle } = await startRun(client, stack.deps.db, specWithTrainerNeedingFlag('retry', flag));
    const roundId = `${runId}/round-1`;
    const waiting = await waitUntil('the round to wait for an operator', async () => {
      const status = await statusOf(client, roundId);
      return status?.state.startsWith('waiting for operator') ? status : undefined;
    }, 180_000);
    expect(waiting.state).toMatch(/^waiting for operator: finetune: .*exited with 3.*license file missing/);
    const described = await client.workflow.getHandle(roundId).describe();
    expect(String(described.memo?.status)).toContain('waiting for operator: finetune');
    const stored = (await listStepStates(stack.deps.db, runId)).find((state) => state.workflow_id === roundId && state.step === 'finetune');
    expect(stored?.status).toBe('waiting_for_operator');

    writeFileSync(flag, 'ok');
    await client.workflow.getHandle(roundId).signal(retryStepSignal, { step: 'finetune' });
    const result = await handle.result();
    expect(result.roundsCompleted).toBe(1);
    const finetune = (await listStepStates(stack.deps.db, runId)).find((state) => state.workflow_id === roundId && state.step === 'finetune');
    expect(finetune).toMatchObject({ status: 'completed', attempts: 2 });
    expect(existsSync(flag)).toBe(true);
  });

  it('skipStep moves on and records the skip', async () => {
    const { runId, handle } = await startRun(client, stack.deps.db, specWithTrainerNeedingFlag('skip', join(stack.dataDir, 'never-created')));
    const roundId = `${runId}/round-1`;
    await waitUntil('the round to wait for an operator', async () => (await statusOf(client, roundId))?.state.startsWith('waiting for operator'), 180_000);
    await client.workflow.getHandle(roundId).signal(skipStepSignal, { step: 'finetune', note: 'trainer is down tonight' });
    const result = await handle.result();
    expect(result.roundsCompleted).toBe(1);
    const states = (await listStepStates(stack.deps.db, runId)).filter((state) => state.workflow_id === roundId);
    expect(states.find((state) => state.step === 'finetune')).toMatchObject({ status: 'skipped', summary: { note: 'trainer is down tonight' } });
    // Without a fine-tuned model there is nothing to evaluate; the champion stays the base model.
    expect(states.find((state) => state.step === 'evaluate')).toBeUndefined();
    expect(result.championModelId).toBe('local:ratchet-base');
  });
});
