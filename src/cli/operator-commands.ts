import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { readEnv } from '../config/env';

// Temporal's client and the database driver load only when a command runs, so `--help` stays fast.
async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const { withTemporalClient } = await import('../runs/temporal-client');
  return withTemporalClient(readEnv(), work);
}

/** The innermost workflow of a run that is waiting for an operator, if any. */
async function findWaitingWorkflow(client: Client, runId: string) {
  const { describeWorkflowChain } = await import('../runs/watch-run');
  const chain = await describeWorkflowChain(client, runId, 4);
  if (chain.length === 0) throw new Error(`run ${runId}: no running workflow with that id (see 'npx ratchet status')`);
  // An experiment's mixture branches run side by side; the run's chain reaches none of them.
  const { describeRunningExperimentBranches } = await import('../runs/watch-experiment');
  const branches = await describeRunningExperimentBranches(client, runId);
  const isWaiting = ({ status }: (typeof chain)[number]) => status.state.startsWith('waiting for operator');
  const waiting = [...chain].reverse().find(isWaiting) ?? [...branches].reverse().find(isWaiting);
  return { chain: [...chain, ...branches], waiting };
}

/** `status`, `retry-step`, `skip-step`, `abort`: seeing and steering runs. */
export function registerOperatorCommands(program: Command): void {
  program
    .command('status [run]')
    .description('runs, rounds, steps and their state (one run in detail when RUN is given)')
    .option('--json', 'print JSON')
    .action(async (runId: string | undefined, options: { json?: boolean }) => {
      const { findRunningDatabase } = await import('../stack/postgres');
      const { openDatabase } = await import('../storage/database');
      const { getRun, listRuns, listStepStates } = await import('../storage/runs');
      const { describeWorkflowChain } = await import('../runs/watch-run');
      const db = openDatabase(await findRunningDatabase(readEnv().DATABASE_URL), { max: 2 });
      try {
        if (!runId) {
          const runs = await listRuns(db);
          if (options.json) return void process.stdout.write(`${JSON.stringify(runs.map(({ spec: _spec, ...run }) => run), null, 2)}\n`);
          if (runs.length === 0) return void process.stdout.write('no runs yet\n');
          for (const run of runs) {
            process.stdout.write(`${run.id}\t${run.status}\tchampion=${run.champion_model_id ?? '-'}\t${run.stop_reason ?? ''}\n`);
          }
          return;
        }
        const run = await getRun(db, runId);
        if (!run) throw new Error(`run ${runId} is not in the database (see 'npx ratchet status')`);
        const steps = await listStepStates(db, runId);
        const live = run.status === 'running' ? await withClient((client) => describeWorkflowChain(client, runId, 4)).catch(() => []) : [];
        if (options.json) return void process.stdout.write(`${JSON.stringify({ run: { ...run, spec: undefined }, live, steps }, null, 2)}\n`);
        process.stdout.write(`run ${run.id}: ${run.status}${run.stop_reason ? ` (${run.stop_reason})` : ''}\n`);
        for (const { workflowId, status } of live) process.stdout.write(`  ${workflowId}: ${status.state}\n`);
        for (const step of steps) {
          process.stdout.write(`  round ${step.round}\t${step.step}\t${step.status}\tattempts=${step.attempts}${step.error ? `\t${step.error}` : ''}\t(${step.workflow_id})\n`);
        }
      } finally {
        await db.end();
      }
    });

  for (const [name, description] of [
    ['retry-step', 'run the step that is waiting for an operator again (after fixing its cause)'],
    ['skip-step', 'skip the step that is waiting for an operator and go on (the skip is recorded)'],
  ] as const) {
    program
      .command(`${name} <run>`)
      .description(description)
      .option('--note <text>', 'why (recorded with the step)')
      .action(async (runId: string, options: { note?: string }) => {
        const { retryStepSignal, skipStepSignal } = await import('../workflows/definitions');
        const signal = name === 'retry-step' ? retryStepSignal : skipStepSignal;
        await withClient(async (client) => {
          const { waiting } = await findWaitingWorkflow(client, runId);
          if (!waiting) throw new Error(`run ${runId}: no step is waiting for an operator`);
          const step = waiting.status.steps.find((candidate) => candidate.status === 'waiting_for_operator')?.step;
          await client.workflow.getHandle(waiting.workflowId).signal(signal, { step, note: options.note });
          process.stdout.write(`${name}: sent to ${waiting.workflowId} (step ${step ?? '?'})\n`);
        });
      });
  }

  program
    .command('abort <run>')
    .description('abort a run: every workflow of the run stops at its next step')
    .option('--reason <text>', 'why (recorded)', 'aborted by operator')
    .action(async (runId: string, options: { reason: string }) => {
      const { abortSignal } = await import('../workflows/definitions');
      await withClient(async (client) => {
        const { chain } = await findWaitingWorkflow(client, runId);
        for (const { workflowId } of [...chain].reverse()) {
          await client.workflow.getHandle(workflowId).signal(abortSignal, { reason: options.reason });
        }
        process.stdout.write(`abort: sent to ${chain.map(({ workflowId }) => workflowId).join(', ')}\n`);
      });
    });
}
