import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readEnv } from '../config/env';
import type { RunSpec } from '../config/run-spec';
import type { LocalStack } from '../stack/local-stack';
import type { TaskQueueKind } from '../workflows/definitions';

// The stack pulls in Temporal, Playwright and every activity: load it only when a command needs it.
const loadStack = () => import('../stack/local-stack');
const ALL_QUEUES: TaskQueueKind[] = ['orchestration', 'browser', 'llm', 'cpu', 'train'];

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
function untilInterrupted(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** The newest run with this spec whose workflow is still running, if any. */
async function findUnfinishedRun(client: import('@temporalio/client').Client, db: import('../storage/database').Queryable, spec: RunSpec): Promise<string | undefined> {
  const { contentHash } = await import('../domain/content-hash');
  const { listRuns } = await import('../storage/runs');
  const hash = contentHash(spec);
  for (const run of await listRuns(db)) {
    if (run.status !== 'running' || run.spec_hash !== hash) continue;
    const described = await client.workflow.getHandle(run.id).describe().catch(() => undefined);
    if (described?.status.name === 'RUNNING') return run.id;
  }
  return undefined;
}

function usesLocalServices(spec: RunSpec): boolean {
  const local = (value: unknown) => value === 'local';
  return local(spec.model) || local(spec.sites) || local(spec.judge) || local(spec.embeddings);
}

/** What `runWithStack` starts and follows: an improvement run by default, or another run-shaped workflow (an experiment). */
export interface StackWorkflow {
  /** Stores the run and starts (or attaches to) its workflow, whose id is the run id. */
  start(client: import('@temporalio/client').Client, db: import('../storage/database').Queryable, runId: string): Promise<void>;
  /** Prints progress until the workflow ends; returns its result. */
  watch(client: import('@temporalio/client').Client, runId: string, print: (line: string) => void): Promise<unknown>;
  /** The table printed before `report: <path>`, from report.json's content. */
  summarize(report: unknown): string;
}

/** Starts the local stack (or uses the spec's endpoints), runs the workflow, prints progress, the table and `report: <path>`. */
export async function runWithStack(spec: RunSpec, options: { exitWhenDone: boolean; runId?: string; resumeUnfinished?: boolean; workflow?: StackWorkflow }): Promise<void> {
  const env = readEnv();
  const started = Date.now();
  const { startLocalStack } = await loadStack();
  const { launchRun, newRunId } = await import('../runs/launch-run');
  const { connectTemporalClient } = await import('../runs/temporal-client');
  const { watchRun } = await import('../runs/watch-run');
  const { writeReport } = await import('../report/write-report');
  const { formatEvaluationTable } = await import('../report/format-evaluation-table');
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;
  const workflow: StackWorkflow = options.workflow ?? {
    start: async (client, db, runId) => {
      await launchRun({ client, db, spec, runId });
    },
    watch: watchRun,
    summarize: formatEvaluationTable,
  };
  let stack: LocalStack | undefined;
  let interruptedMidRun = false;
  const interrupted = untilInterrupted();
  try {
    stack = await startLocalStack({ env, localServices: usesLocalServices(spec), log: (line) => say(`${elapsed()} ${line}`) });
    if (stack.uiUrl) say(`${elapsed()} Temporal UI: ${stack.uiUrl}`);
    const { client, close } = await connectTemporalClient(stack.temporalAddress, stack.namespace);
    // An interrupted run of the same spec is still alive in Temporal: attach to it rather than start a second one.
    const unfinished = options.resumeUnfinished ? await findUnfinishedRun(client, stack.deps.db, spec) : undefined;
    const runId = options.runId ?? unfinished ?? newRunId(spec);
    try {
      if (unfinished) say(`${elapsed()} resuming run ${unfinished}, interrupted earlier`);
      else await workflow.start(client, stack.deps.db, runId);
      say(`${elapsed()} run ${runId} ${unfinished ? 'resumed' : 'started'}${stack.uiUrl ? `: ${stack.uiUrl}/namespaces/${stack.namespace}/workflows/${encodeURIComponent(runId)}` : ''}`);
      const outcome = await Promise.race([
        workflow.watch(client, runId, (line) => say(`${elapsed()} ${line}`)).then((result) => ({ result })),
        interrupted.then((signal) => ({ signal })),
      ]);
      if ('signal' in outcome) {
        // The run stays in Temporal (history in .data/) and continues when workers are back.
        say(`${elapsed()} interrupted (${outcome.signal}); run ${runId} continues when the stack is started again`);
        interruptedMidRun = true;
        return;
      }
      say(`${elapsed()} run finished: ${JSON.stringify(outcome.result)}`);
    } finally {
      // A pending result() would retry on a closed channel and throw from a timer: leave it to process exit.
      if (!interruptedMidRun) await close();
    }
    const written = await writeReport(stack.deps.db, runId, join('reports', runId));
    process.stdout.write(`${workflow.summarize(JSON.parse(readFileSync(written.jsonFile, 'utf8')) as unknown)}\n`);
    say(`${elapsed()} report page: ${written.htmlFile}`);
    if (!options.exitWhenDone) say(`the stack stays up for browsing${stack.uiUrl ? ` (Temporal UI ${stack.uiUrl})` : ''}; Ctrl-C stops it`);
    process.stdout.write(`report: ${written.jsonFile}\n`);
    if (!options.exitWhenDone) await interrupted;
  } finally {
    say('stopping the local stack');
    await stack?.stop();
  }
  if (interruptedMidRun) process.exit(130);
}

/** `dev`, `start`, `run` and `worker`: the local stack and the processes that do the work. */
export function registerStackCommands(program: Command): void {
  program
    .command('dev')
    .description('start the local stack (Temporal dev server + UI, PostgreSQL, built-in sites, local model server, workers) until Ctrl-C')
    .option('--no-local-services', 'do not start the built-in sites and the local model server')
    .action(async (options: { localServices: boolean }) => {
      const { startLocalStack } = await loadStack();
      const stack = await startLocalStack({ env: readEnv(), localServices: options.localServices, log: say });
      if (stack.uiUrl) say(`Temporal UI: ${stack.uiUrl}`);
      say('the local stack is up; Ctrl-C stops it');
      await untilInterrupted();
      say('stopping the local stack');
      await stack.stop();
    });

  program
    .command('start')
    .description('the main job: the local stack and a real self-improvement run on the embedded defaults')
    .option('--exit-when-done', 'stop the stack and exit when the run finishes (the default when CI=true)')
    .action(async (options: { exitWhenDone?: boolean }) => {
      const { demoRunSpec } = await import('../config/demo-spec');
      await runWithStack(demoRunSpec(), { exitWhenDone: options.exitWhenDone ?? process.env.CI === 'true', resumeUnfinished: true });
    });

  program
    .command('run')
    .description('run self-improvement as a run-spec file describes it (validated before anything starts)')
    .requiredOption('--spec <file>', 'the run spec (JSON)')
    .option('--run-id <id>', 'run id (default: <name>-<timestamp>)')
    .option('--exit-when-done', 'stop the stack and exit when the run finishes')
    .action(async (options: { spec: string; runId?: string; exitWhenDone?: boolean }) => {
      const { loadRunSpec } = await import('../config/run-spec');
      const spec = loadRunSpec(options.spec);
      // The suite and the sites its tasks need are checked here, not when the run reaches them.
      const { checkRunSuite } = await import('../runs/check-run-suite');
      await checkRunSuite(spec, options.spec);
      await runWithStack(spec, { exitWhenDone: options.exitWhenDone ?? process.env.CI === 'true', runId: options.runId });
    });

  program
    .command('worker')
    .description('serve task queues (all by default) against TEMPORAL_ADDRESS and DATABASE_URL')
    .option('--queue <kind...>', `queues to serve: ${ALL_QUEUES.join(', ')}`)
    .option('--browser-contexts <n>', 'concurrent browser contexts (episodes) in this process', '2')
    .action(async (options: { queue?: string[]; browserContexts: string }) => {
      const queues = options.queue ?? ALL_QUEUES;
      const unknown = queues.filter((queue) => !ALL_QUEUES.includes(queue as TaskQueueKind));
      if (unknown.length) throw new Error(`--queue: unknown queue(s) ${unknown.join(', ')}; choose from ${ALL_QUEUES.join(', ')}`);
      const contexts = Number(options.browserContexts);
      if (!Number.isInteger(contexts) || contexts < 1) throw new Error(`--browser-contexts must be a positive integer, got '${options.browserContexts}'`);
      const { runWorkerProcess } = await import('../workers/run-worker-process');
      await runWorkerProcess(queues as TaskQueueKind[], { browserContexts: contexts });
    });
}
