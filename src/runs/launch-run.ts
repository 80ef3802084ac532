import { execFileSync } from 'node:child_process';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { RunSpec } from '../config/run-spec';
import { contentHash } from '../domain/content-hash';
import { PROJECT_ROOT } from '../stack/toolchain';
import type { Queryable } from '../storage/database';
import { insertRun } from '../storage/runs';
import { SEARCH_ATTRIBUTES, TASK_QUEUES } from '../workflows/definitions';
import type { improvementRun } from '../workflows/improvement-run';

function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** A run id from the spec name and the current time, e.g. `demo-20261124-041503`. */
export function newRunId(spec: RunSpec, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${spec.name}-${stamp}`;
}

/** Stores the run's spec with its hash and the git revision (the claim check workflows read back). */
export async function storeRun(db: Queryable, spec: RunSpec, runId: string): Promise<void> {
  await insertRun(db, { id: runId, spec, specHash: contentHash(spec), gitRevision: gitRevision() });
}

/**
 * Stores the run's spec (the workflow reads it back by id: the claim check) and starts the
 * improvementRun workflow with the run id as its workflow id. Starting the same run id twice
 * attaches to the existing workflow.
 */
export async function launchRun(input: { client: Client; db: Queryable; spec: RunSpec; runId: string }): Promise<WorkflowHandle<typeof improvementRun>> {
  await storeRun(input.db, input.spec, input.runId);
  try {
    return await input.client.workflow.start<typeof improvementRun>('improvementRun', {
      workflowId: input.runId,
      taskQueue: TASK_QUEUES.orchestration,
      args: [{ runId: input.runId }],
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.runId, value: input.runId }],
      memo: { spec: input.spec.name, status: 'starting' },
    });
  } catch (error) {
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return input.client.workflow.getHandle(input.runId);
    throw error;
  }
}
