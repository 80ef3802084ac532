import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { parseRunSpec, type RunSpec } from '../../src/config/run-spec';
import type { Queryable } from '../../src/storage/database';
import { launchRun } from '../../src/runs/launch-run';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import { describeWorkflowChain } from '../../src/runs/watch-run';
import { statusQuery, type WorkflowStatusView } from '../../src/workflows/definitions';

/** A small, fast run spec on the built-in suite and the local model (overrides merged in). */
export function smallRunSpec(name: string, overrides: Record<string, unknown> = {}): RunSpec {
  return parseRunSpec({
    name,
    seed: 3,
    rounds: 1,
    suite: { path: 'builtin', taskLimit: 3 },
    rollout: { concurrency: 2, maxSteps: 8 },
    ood: { count: 2 },
    // Three tasks give 1-2 step trajectories; the paper's balancing would leave no examples.
    mixture: { preset: 'B', balance: false },
    finetune: { provider: { provider: 'openai', endpoint: 'local', pollIntervalMs: 300 } },
    ...overrides,
  }, `test spec ${name}`);
}

/** Starts a run and returns its id and workflow handle. */
export async function startRun(client: Client, db: Queryable, spec: RunSpec, runId = `${spec.name}-${Date.now()}`) {
  const handle = await launchRun({ client, db, spec, runId });
  return { runId, handle };
}

/**
 * The result of a workflow that should complete on its own. A step that runs out of retries parks
 * the workflow for the operator instead of failing it, so awaiting `result()` alone would hang
 * until the test's timeout and hide the cause: this fails at once with the waiting step and error,
 * and after `timeoutMs` with what every workflow of the chain is still waiting for.
 */
export async function resultOrOperatorWait<T>(client: Client, workflowId: string, { pollMs = 2_000, timeoutMs = 540_000 } = {}): Promise<T> {
  const result = client.workflow.getHandle(workflowId).result() as Promise<T>;
  const deadline = Date.now() + timeoutMs;
  let settled = false;
  const done = result.then(() => { settled = true; }, () => { settled = true; });
  while (!settled) {
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, pollMs))]);
    if (settled) break;
    const chain = await describeWorkflowChain(client, workflowId, 5);
    const waiting = chain.find(({ status }) => status.state.startsWith('waiting for operator'));
    if (waiting) throw new Error(`${waiting.workflowId} is ${waiting.status.state}`);
    if (Date.now() > deadline) throw new Error(`${workflowId} did not finish within ${timeoutMs} ms; still pending:\n${await describePendingWork(client, [workflowId, ...chain.map((link) => link.workflowId)])}`);
  }
  return result;
}

/** Each workflow's state, pending workflow task and pending activities with their attempts and last failures. */
async function describePendingWork(client: Client, workflowIds: string[]): Promise<string> {
  const lines: string[] = [];
  for (const workflowId of new Set(workflowIds)) {
    try {
      const { raw, status } = await client.workflow.getHandle(workflowId).describe();
      const task = raw.pendingWorkflowTask;
      lines.push(`${workflowId}: ${status.name}${task ? `, workflow task attempt ${task.attempt ?? 1}` : ''}`);
      for (const activity of raw.pendingActivities ?? []) {
        lines.push(`  activity ${activity.activityType?.name ?? '?'} attempt ${activity.attempt ?? 1}${activity.lastFailure?.message ? `, last failure: ${activity.lastFailure.message}` : ''}`);
      }
    } catch (error) {
      lines.push(`${workflowId}: describe failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return lines.join('\n');
}

/** Polls until `predicate` holds (or fails after `timeoutMs`, naming what it waited for). */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 120_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`);
}

/** The status of a workflow, or undefined while it is not queryable. */
export async function statusOf(client: Client, workflowId: string): Promise<WorkflowStatusView | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).query(statusQuery);
  } catch {
    return undefined;
  }
}

/** Saves a workflow's history as a replay fixture when RECORD_HISTORIES=1 (see test/workflows/replay.test.ts). */
export async function recordHistoryFixture(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  // The workflow id is kept with the history: workflows derive their children's ids from it.
  const fixture = { workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
  writeFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'histories', `${name}.json`), JSON.stringify(fixture));
}
