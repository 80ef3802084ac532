import type { Client } from '@temporalio/client';
import { EXPERIMENT_MIXTURES, mixtureBranchWorkflowId, type ExperimentMixture } from '../workflows/experiment-definitions';
import { describeWorkflowChain } from './watch-run';

const POLL_INTERVAL_MS = 1_500;

/**
 * Prints a line whenever the experiment or one of its mixture branches changes step (the branches
 * run concurrently, so each is shown), until the experiment workflow completes. Returns its result.
 */
export async function watchExperiment(client: Client, runId: string, mixtures: ExperimentMixture[], print: (line: string) => void): Promise<unknown> {
  const done = client.workflow.getHandle(runId).result();
  let finished = false;
  void done.then(() => (finished = true), () => (finished = true));
  // A finished branch is not queried again (a query of a closed workflow replays its history).
  const settled = new Map<ExperimentMixture, string>();
  let last = '';
  while (!finished) {
    const describe = (chain: Awaited<ReturnType<typeof describeWorkflowChain>>) =>
      chain.map(({ workflowId, status }) => `${workflowId === runId ? 'experiment' : workflowId.replace(`${runId}/`, '')}: ${status.state}`).join(' > ');
    const parts = [describe(await describeWorkflowChain(client, runId))];
    for (const mixture of mixtures) {
      const known = settled.get(mixture);
      if (known) {
        parts.push(known);
        continue;
      }
      const chain = await describeWorkflowChain(client, mixtureBranchWorkflowId(runId, mixture));
      if (chain.length === 0) continue;
      const text = describe(chain);
      if (chain[0]!.status.state.startsWith('completed')) settled.set(mixture, text);
      parts.push(text);
    }
    const line = parts.filter(Boolean).join(' | ');
    if (line && line !== last) {
      print(line);
      last = line;
    }
    await Promise.race([done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))]);
  }
  return done;
}

/**
 * The status chains of an experiment's mixture branches that are still running (none for a run that
 * is not an experiment): they run side by side, so the run's own chain reaches at most one of them.
 */
export async function describeRunningExperimentBranches(client: Client, runId: string): Promise<Awaited<ReturnType<typeof describeWorkflowChain>>> {
  const chains = await Promise.all(EXPERIMENT_MIXTURES.map((mixture) => describeWorkflowChain(client, mixtureBranchWorkflowId(runId, mixture))));
  return chains.filter((chain) => chain.length > 0 && !chain[0]!.status.state.startsWith('completed')).flat();
}
