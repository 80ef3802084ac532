import type { Client } from '@temporalio/client';
import { statusQuery, type WorkflowStatusView } from '../workflows/definitions';

const POLL_INTERVAL_MS = 1_500;

/** The status of a workflow and of the child it is running, innermost last (run -> round -> rollout). */
export async function describeWorkflowChain(client: Client, workflowId: string, depth = 3): Promise<Array<{ workflowId: string; status: WorkflowStatusView }>> {
  const chain: Array<{ workflowId: string; status: WorkflowStatusView }> = [];
  let current: string | undefined = workflowId;
  while (current && chain.length < depth) {
    try {
      const status: WorkflowStatusView = await client.workflow.getHandle(current).query(statusQuery);
      chain.push({ workflowId: current, status });
      current = status.activeChildWorkflowId;
    } catch {
      break;
    }
  }
  return chain;
}

/**
 * Prints a line whenever the run, its round or its current child changes state, until the run
 * workflow completes (following continue-as-new). Returns the run's result.
 */
export async function watchRun(client: Client, runId: string, print: (line: string) => void): Promise<unknown> {
  const handle = client.workflow.getHandle(runId);
  let last = '';
  const done = handle.result();
  let finished = false;
  void done.then(() => (finished = true), () => (finished = true));
  while (!finished) {
    const chain = await describeWorkflowChain(client, runId);
    const line = chain.map(({ workflowId, status }) => `${workflowId === runId ? 'run' : workflowId.replace(`${runId}/`, '')}: ${status.state}`).join(' | ');
    if (line && line !== last) {
      print(line);
      last = line;
    }
    await Promise.race([done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))]);
  }
  return done;
}
