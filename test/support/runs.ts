import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { parseRunSpec, type RunSpec } from '../../src/config/run-spec';
import type { Queryable } from '../../src/storage/database';
import { launchRun } from '../../src/runs/launch-run';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
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
