import { CancelledFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { smallRunSpec, startRun, statusOf, waitUntil } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';

// The local model server trains in milliseconds; this holds each job `running` for two minutes,
// long enough to cancel it mid-training from the Temporal client.
const MIN_TRAINING_MS = 120_000;

const jobSchema = z.object({ id: z.string(), status: z.string(), fine_tuned_model: z.string().nullable(), metadata: z.record(z.string(), z.string()).nullable() });
const jobListSchema = z.object({ data: z.array(jobSchema) });
type Job = z.infer<typeof jobSchema>;

let stack: TestStack;
let client: Client;

beforeAll(async () => {
  stack = await startTestStack({ modelServerMinTrainingMs: MIN_TRAINING_MS });
  client = stack.client;
}, 120_000);
afterAll(async () => {
  await stack?.teardown();
});

/** The run's fine-tuning jobs as the model server lists them over HTTP. */
async function jobsOfRun(runId: string): Promise<Job[]> {
  const url = new URL(`${stack.local.modelBaseUrl ?? ''}/fine_tuning/jobs`);
  url.searchParams.set('metadata[ratchet_run]', runId);
  url.searchParams.set('limit', '100');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url.href}: ${response.status} ${await response.text()}`);
  return jobListSchema.parse(await response.json()).data;
}

/** Waits for the run's job to be running; fails at once, saying why, if the run or its round waits for an operator instead. */
async function runningJobOf(runId: string): Promise<Job> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const running = (await jobsOfRun(runId)).find((job) => job.status === 'running');
    if (running) return running;
    for (const workflowId of [runId, `${runId}/round-1`]) {
      const state = (await statusOf(client, workflowId))?.state ?? '';
      if (state.startsWith('waiting for operator')) throw new Error(`waiting for a running fine-tuning job, but ${workflowId} is ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const steps = await stack.deps.db.query('SELECT workflow_id, step, status, error FROM step_states WHERE run_id = $1', [runId]);
  throw new Error(`no running fine-tuning job of ${runId} within 150 s (jobs: ${JSON.stringify(await jobsOfRun(runId))}; run: ${(await statusOf(client, runId))?.state ?? 'not queryable'}; steps: ${JSON.stringify(steps.rows)})`);
}

/** The workflow's end: its failure when it did not complete (a cancelled workflow's result rejects). */
async function outcomeOf(workflowId: string): Promise<unknown> {
  return client.workflow.getHandle(workflowId).result().then(() => 'completed', (error: unknown) => error);
}

async function statusName(workflowId: string): Promise<string> {
  return (await client.workflow.getHandle(workflowId).describe()).status.name;
}

describe('cancelling a round while its fine-tuning job runs', { timeout: 600_000 }, () => {
  it('cancelling the run cancels the round and the job on the model server', async () => {
    const { runId, handle } = await startRun(client, stack.deps.db, smallRunSpec('cancel-run'));
    const running = await runningJobOf(runId);
    expect(running.metadata).toMatchObject({ ratchet_run: runId, ratchet_round: '1' });

    await handle.cancel();

    const runOutcome = await outcomeOf(runId);
    expect(runOutcome).toBeInstanceOf(WorkflowFailedError);
    expect((runOutcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(await statusName(runId)).toBe('CANCELLED');
    // The round is a child: the run's cancellation reached it, and it ended cancelled too.
    expect(await statusName(`${runId}/round-1`)).toBe('CANCELLED');
    const jobs = await jobsOfRun(runId);
    expect(jobs.map((job) => job.id)).toEqual([running.id]);
    expect(jobs[0]).toMatchObject({ status: 'cancelled', fine_tuned_model: null });
    // The run's row says how it ended, instead of `running` for ever.
    const row = await stack.deps.db.query('SELECT status, stop_reason FROM runs WHERE id = $1', [runId]);
    expect(row.rows[0]).toEqual({ status: 'aborted', stop_reason: 'cancelled through Temporal' });
    // No candidate model was registered as ready for the round.
    const ready = await stack.deps.db.query(`SELECT id FROM models WHERE run_id = $1 AND round = 1 AND status = 'ready'`, [runId]);
    expect(ready.rows).toEqual([]);
  });

  it('cancelling the round alone cancels its job and the round reports cancellation', async () => {
    const { runId } = await startRun(client, stack.deps.db, smallRunSpec('cancel-round'));
    const roundId = `${runId}/round-1`;
    const running = await runningJobOf(runId);

    await client.workflow.getHandle(roundId).cancel();

    const roundOutcome = await outcomeOf(roundId);
    expect(roundOutcome).toBeInstanceOf(WorkflowFailedError);
    expect((roundOutcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(await statusName(roundId)).toBe('CANCELLED');
    const job = await waitUntil('the job to be cancelled', async () => (await jobsOfRun(runId)).find((candidate) => candidate.id === running.id && candidate.status === 'cancelled'), 30_000);
    expect(job.fine_tuned_model).toBeNull();
    // Still cancelled well after the training itself would have finished: the paced wait ended at the cancel.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await jobsOfRun(runId)).find((candidate) => candidate.id === running.id)?.status).toBe('cancelled');

    // The run did not ask for it: its round step waits for the operator (retry, skip or abort) instead of failing.
    const waiting = await waitUntil('the run to wait for the operator at round-1', async () => {
      const state = (await statusOf(client, runId))?.state ?? '';
      return state.startsWith('waiting for operator: round-1:') ? state : undefined;
    }, 60_000);
    expect(waiting.toLowerCase()).toContain('cancel');
    const step = await stack.deps.db.query(`SELECT status, error FROM step_states WHERE workflow_id = $1 AND step = 'round-1'`, [runId]);
    expect(step.rows[0]).toMatchObject({ status: 'waiting_for_operator' });
    expect(await statusName(runId)).toBe('RUNNING');

    await client.workflow.getHandle(runId).terminate('test cleanup');
  });
});
