// The chaos experiment: the same run (same run id, spec and seeds) twice on two fresh stacks, first
// undisturbed, then while worker processes are SIGKILLed and Temporal and PostgreSQL restarted;
// then the disturbed run's database is checked and compared with the undisturbed one.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunSpec, type RunSpec } from '../../src/config/run-spec';
import { launchRun } from '../../src/runs/launch-run';
import { describeWorkflowChain } from '../../src/runs/watch-run';
import { retryStepSignal, type ImprovementRunResult, type TaskQueueKind } from '../../src/workflows/definitions';
import { ChaosStack, chooseServicePorts, RestartablePostgres } from './chaos-stack';
import { countByKind, planFaults, type FaultKind, type PlannedFault } from './fault-plan';
import { compareRuns, readRunSnapshot, type RunComparison, type RunIntegrity, type RunSnapshot } from './run-integrity';
import type { UnexpectedWorkerExit, WorkerMemoryPeak } from './worker-process-pool';

export const ALL_WORKER_QUEUES: readonly TaskQueueKind[] = ['orchestration', 'browser', 'llm', 'cpu', 'train'];

export interface ChaosOptions {
  /** Tasks per split of the built-in suite (a seeded sample). */
  tasks: number;
  rounds: number;
  workerKills: number;
  temporalRestarts: number;
  postgresRestarts: number;
  /** How long PostgreSQL stays down at each restart (activities keep retrying meanwhile). */
  postgresOutageSeconds: number;
  /** The run spec's seed (the same for both runs). */
  specSeed: number;
  /** Seed of the fault plan (which worker, when). */
  chaosSeed: number;
  browserContexts: number;
  concurrency: number;
  maxSteps: number;
  /** A run that has not finished after this long counts as not completed. */
  runTimeoutMs: number;
  /** Keep the stacks' folder (logs, Temporal history, database) after the experiment. */
  keepWorkDir: boolean;
  log: (line: string) => void;
}

export interface InjectedFault {
  kind: FaultKind;
  queue?: TaskQueueKind;
  plannedAtSeconds: number;
  injectedAtSeconds: number;
  /** What the run was doing at that moment (innermost workflow's state), when Temporal answered. */
  runState: string;
  /** How long the component was down (server restarts) or until the replacement worker served its queue. */
  recoverySeconds: number | null;
  /** Steps that waited for an operator after this fault and before the next one. */
  operatorWaits: string[];
  error: string | null;
}

export interface PhaseFigures {
  wallSeconds: number;
  completed: boolean;
  result: ImprovementRunResult | null;
  error: string | null;
  episodes: number;
  stepRows: number;
  metricValues: number;
  integrity: RunIntegrity;
  workerMemory: Partial<Record<TaskQueueKind, WorkerMemoryPeak>>;
  unexpectedWorkerExits: UnexpectedWorkerExit[];
  operatorWaits: string[];
}

export interface ChaosReport {
  startedAt: string;
  options: Omit<ChaosOptions, 'log'>;
  runId: string;
  machine: { cores: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  undisturbed: PhaseFigures;
  chaos: PhaseFigures;
  plannedFaults: PlannedFault[];
  faults: InjectedFault[];
  faultsInjectedByKind: Record<FaultKind, number>;
  faultsSurvived: number;
  comparison: RunComparison;
  /** Episodes lost by the disturbed run: missing, unfinished, or duplicated. */
  itemsLost: number;
  metricsEqual: boolean;
  /** Every check that failed, as a sentence; empty when the experiment passed. */
  failures: string[];
  passed: boolean;
}

/** The run both phases execute: the built-in suite on the local model, small enough to repeat. */
export function chaosRunSpec(options: Pick<ChaosOptions, 'tasks' | 'rounds' | 'specSeed' | 'concurrency' | 'maxSteps'>): RunSpec {
  return parseRunSpec({
    name: 'chaos',
    seed: options.specSeed,
    rounds: options.rounds,
    suite: { path: 'builtin', taskLimit: options.tasks },
    rollout: { concurrency: options.concurrency, maxSteps: options.maxSteps },
    ood: { count: 2 },
    // Few tasks give short trajectories; the paper's position balancing would leave no examples.
    mixture: { preset: 'B', balance: false },
    finetune: { provider: { provider: 'openai', endpoint: 'local', pollIntervalMs: 500 } },
  }, 'chaos run spec');
}

/** Stops of what a running experiment started (stacks, PostgreSQL), for an interrupted script. */
const liveStops = new Set<() => Promise<void>>();

/** Stops every stack and PostgreSQL server a running experiment started (on Ctrl-C), newest first. */
export async function stopChaosProcesses(): Promise<void> {
  for (const stop of [...liveStops].reverse()) await stop().catch(() => undefined);
  liveStops.clear();
}

/** Runs `work` with `stop` registered for stopChaosProcesses, then calls `stop`. */
async function withLiveStop<T>(stop: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  liveStops.add(stop);
  try {
    return await work();
  } finally {
    liveStops.delete(stop);
    await stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The innermost state of the run's workflow chain, or why it could not be read. */
async function runStateOf(stack: ChaosStack, runId: string): Promise<string> {
  try {
    const chain = await describeWorkflowChain(stack.client, runId, 6);
    const innermost = chain.at(-1);
    return innermost ? `${innermost.workflowId.replace(`${runId}/`, '') || 'run'}: ${innermost.status.state}` : 'not queryable';
  } catch (error) {
    return `unknown (${errorText(error)})`;
  }
}

/**
 * Waits for the run to finish while retrying whatever Temporal is down for; a step waiting for an
 * operator is recorded and sent `retryStep` (what an operator would do) so the run can go on.
 */
async function awaitRun(stack: ChaosStack, runId: string, timeoutMs: number, onOperatorWait: (what: string) => void): Promise<ImprovementRunResult> {
  const deadline = Date.now() + timeoutMs;
  const handle = stack.client.workflow.getHandle(runId);
  const signalled = new Set<string>();
  while (Date.now() < deadline) {
    try {
      const description = await handle.describe();
      if (description.status.name === 'COMPLETED') return await handle.result() as ImprovementRunResult;
      if (description.status.name !== 'RUNNING' && description.status.name !== 'CONTINUED_AS_NEW') throw new Error(`run ${runId} ended ${description.status.name}`);
      for (const { workflowId, status } of await describeWorkflowChain(stack.client, runId, 6)) {
        if (!status.state.startsWith('waiting for operator')) continue;
        const step = status.steps.find((candidate) => candidate.status === 'waiting_for_operator');
        const key = `${workflowId} ${step?.step ?? '?'} ${step?.attempts ?? 0}`;
        if (signalled.has(key)) continue;
        signalled.add(key);
        onOperatorWait(`${workflowId}: ${status.state}`);
        await stack.client.workflow.getHandle(workflowId).signal(retryStepSignal, { step: step?.step, note: 'retried by the chaos harness' });
      }
    } catch (error) {
      if (errorText(error).startsWith(`run ${runId} ended`)) throw error;
      // Temporal restarting: try again.
    }
    await sleep(1_000);
  }
  throw new Error(`run ${runId} did not finish within ${timeoutMs} ms`);
}

async function runPhase(
  stack: ChaosStack, spec: RunSpec, runId: string, options: ChaosOptions,
  disturb: (startedAt: number, finished: () => boolean, onOperatorWait: (listener: (what: string) => void) => void) => Promise<void>,
): Promise<{ figures: PhaseFigures; snapshot: RunSnapshot }> {
  const operatorWaits: string[] = [];
  const listeners: Array<(what: string) => void> = [];
  const startedAt = Date.now();
  await launchRun({ client: stack.client, db: stack.local.deps.db, spec, runId });
  let finished = false;
  let result: ImprovementRunResult | null = null;
  let error: string | null = null;
  const disturbance = disturb(startedAt, () => finished, (listener) => listeners.push(listener));
  try {
    result = await awaitRun(stack, runId, options.runTimeoutMs, (what) => {
      operatorWaits.push(what);
      options.log(`operator needed: ${what} (sent retryStep)`);
      for (const listener of listeners) listener(what);
    });
  } catch (caught) {
    error = errorText(caught);
  } finally {
    finished = true;
  }
  await disturbance;
  const wallSeconds = seconds(Date.now() - startedAt);
  const snapshot = await readRunSnapshot(stack.local.deps.db, runId);
  return {
    snapshot,
    figures: {
      wallSeconds,
      completed: result !== null && snapshot.runStatus === 'completed',
      result,
      error,
      episodes: snapshot.episodes.length,
      stepRows: snapshot.stepRows,
      metricValues: snapshot.metrics.length,
      integrity: snapshot.integrity,
      workerMemory: stack.workers.memoryPeaks(),
      unexpectedWorkerExits: [...stack.workers.unexpectedExits],
      operatorWaits,
    },
  };
}

/** Injects the planned faults one after another at their moments, while the run has not finished. */
async function injectFaults(
  stack: ChaosStack, postgres: RestartablePostgres, runId: string, plan: PlannedFault[], startedAt: number,
  finished: () => boolean, log: (line: string) => void, faults: InjectedFault[], postgresOutageMs: number,
): Promise<void> {
  let databaseOutage: Promise<void> = Promise.resolve();
  for (const planned of plan) {
    while (!finished() && Date.now() - startedAt < planned.atMs) await sleep(200);
    if (finished()) {
      log(`the run finished before the ${planned.kind}${planned.queue ? ` of ${planned.queue}` : ''} planned at ${seconds(planned.atMs)} s`);
      break;
    }
    const injectedAt = Date.now();
    const runState = await runStateOf(stack, runId);
    const fault: InjectedFault = {
      kind: planned.kind, queue: planned.queue, plannedAtSeconds: seconds(planned.atMs), injectedAtSeconds: seconds(injectedAt - startedAt),
      runState, recoverySeconds: null, operatorWaits: [], error: null,
    };
    faults.push(fault);
    log(`${fault.injectedAtSeconds} s: ${planned.kind}${planned.queue ? ` ${planned.queue}` : ''} during ${runState}`);
    const recovery = (async () => {
      if (planned.kind === 'worker-sigkill') await stack.workers.killAndReplace(planned.queue!);
      else if (planned.kind === 'temporal-restart') await stack.restartTemporal();
      else await postgres.restart(postgresOutageMs);
    })().then(() => {
      fault.recoverySeconds = seconds(Date.now() - injectedAt);
    }, (error: unknown) => {
      fault.error = errorText(error);
      log(`  recovery failed: ${fault.error}`);
    });
    // A PostgreSQL outage runs on while the next faults strike (workers killed while the database is
    // down); the next PostgreSQL restart waits for it. Other faults recover before the next one.
    if (planned.kind === 'postgres-restart') databaseOutage = recovery;
    else await recovery;
    if (plan[plan.indexOf(planned) + 1]?.kind === 'postgres-restart') await databaseOutage;
  }
  await databaseOutage;
}

/** Runs the experiment and returns its figures; `failures` lists every check that did not hold. */
export async function runChaosExperiment(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const startedAt = new Date();
  const loadAverageAtStart = loadavg().map((value) => Math.round(value * 100) / 100);
  const workDir = mkdtempSync(join(tmpdir(), 'ratchet-chaos-'));
  // The embedded PostgreSQL may run as the `postgres` user (when we are root): it must reach its folder.
  chmodSync(workDir, 0o755);
  log(`work folder ${workDir}`);
  const spec = chaosRunSpec(options);
  const runId = `chaos-${startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
  const postgres = await RestartablePostgres.start(join(workDir, 'postgres'));
  const stopPostgres = () => postgres.stop();
  liveStops.add(stopPostgres);
  log(`embedded PostgreSQL on port ${postgres.port}`);
  try {
    const stackOptions = { postgres, servicePorts: await chooseServicePorts(), queues: ALL_WORKER_QUEUES, browserContexts: options.browserContexts, log };

    log(`undisturbed run ${runId}: ${options.tasks} tasks per split, ${options.rounds} round(s)`);
    let stack = await ChaosStack.start({ ...stackOptions, dataDir: join(workDir, 'undisturbed'), databaseName: 'ratchet_undisturbed' });
    const undisturbed = await withLiveStop(() => stack.stop(), () => runPhase(stack, spec, runId, options, () => Promise.resolve()));
    log(`undisturbed run: ${undisturbed.figures.completed ? 'completed' : `NOT completed (${undisturbed.figures.error})`} in ${undisturbed.figures.wallSeconds} s`);

    const plan = planFaults({
      workerKills: options.workerKills, temporalRestarts: options.temporalRestarts, postgresRestarts: options.postgresRestarts,
      queues: ALL_WORKER_QUEUES, expectedRunMs: undisturbed.figures.wallSeconds * 1000, seed: options.chaosSeed,
    });
    log(`chaos run ${runId}: ${plan.length} faults planned (chaos seed ${options.chaosSeed})`);
    const faults: InjectedFault[] = [];
    stack = await ChaosStack.start({ ...stackOptions, dataDir: join(workDir, 'chaos'), databaseName: 'ratchet_chaos' });
    const chaos = await withLiveStop(() => stack.stop(), () => runPhase(stack, spec, runId, options, async (runStartedAt, finished, onOperatorWait) => {
      onOperatorWait((what) => faults.at(-1)?.operatorWaits.push(what));
      await injectFaults(stack, postgres, runId, plan, runStartedAt, finished, log, faults, options.postgresOutageSeconds * 1000);
    }));
    log(`chaos run: ${chaos.figures.completed ? 'completed' : `NOT completed (${chaos.figures.error})`} in ${chaos.figures.wallSeconds} s`);

    const comparison = compareRuns(undisturbed.snapshot, chaos.snapshot);
    const integrity = chaos.figures.integrity;
    const itemsLost = comparison.lostEpisodes.length + integrity.duplicatedEpisodes.length;
    const injected = countByKind(faults);
    const failures: string[] = [];
    const check = (holds: boolean, sentence: string) => {
      if (!holds) failures.push(sentence);
    };
    check(undisturbed.figures.completed, `the undisturbed run did not complete: ${undisturbed.figures.error ?? `status ${undisturbed.snapshot.runStatus}`}`);
    check(chaos.figures.completed, `the chaos run did not complete: ${chaos.figures.error ?? `status ${chaos.snapshot.runStatus}`}`);
    for (const kind of ['worker-sigkill', 'temporal-restart', 'postgres-restart'] as const) {
      const planned = countByKind(plan)[kind];
      check(injected[kind] === planned, `${injected[kind]} of ${planned} planned ${kind} faults were injected before the run finished`);
    }
    check(faults.every((fault) => fault.error === null), `recovery failed after ${faults.filter((fault) => fault.error).length} fault(s)`);
    check(chaos.figures.operatorWaits.length === 0, `${chaos.figures.operatorWaits.length} step(s) waited for an operator: ${chaos.figures.operatorWaits.join('; ')}`);
    const chaosProblems: Record<string, string[]> = { ...integrity };
    for (const [name, rows] of Object.entries(chaosProblems)) {
      check(rows.length === 0, `chaos run ${name}: ${rows.slice(0, 5).join('; ')}${rows.length > 5 ? ` (+${rows.length - 5})` : ''}`);
    }
    const undisturbedProblems: Record<string, string[]> = { ...undisturbed.figures.integrity };
    for (const [name, rows] of Object.entries(undisturbedProblems)) {
      check(rows.length === 0, `undisturbed run ${name}: ${rows.slice(0, 5).join('; ')}`);
    }
    check(undisturbed.snapshot.episodes.length > 0, 'the undisturbed run stored no episodes');
    check(comparison.metricsCompared > 0, 'the undisturbed run stored no metrics to compare');
    for (const [name, rows] of Object.entries({ lostEpisodes: comparison.lostEpisodes, extraEpisodes: comparison.extraEpisodes, differentOutcomes: comparison.differentOutcomes, differentMetrics: comparison.differentMetrics })) {
      check(rows.length === 0, `${name} (${rows.length}): ${rows.slice(0, 5).join('; ')}${rows.length > 5 ? ' ...' : ''}`);
    }
    // Trajectory texts are reported, not checked: observation element ids are Chromium's accessibility
    // node ids, which differ between browser processes even in undisturbed runs.
    const survived = chaos.figures.completed && itemsLost === 0
      ? faults.filter((fault) => fault.error === null && fault.operatorWaits.length === 0).length
      : 0;
    const { log: _log, ...recordedOptions } = options;
    return {
      startedAt: startedAt.toISOString(),
      options: recordedOptions,
      runId,
      machine: { cores: cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100) },
      undisturbed: undisturbed.figures,
      chaos: chaos.figures,
      plannedFaults: plan,
      faults,
      faultsInjectedByKind: injected,
      faultsSurvived: survived,
      comparison,
      itemsLost,
      metricsEqual: comparison.metricsCompared > 0 && comparison.differentMetrics.length === 0,
      failures,
      passed: failures.length === 0,
    };
  } finally {
    liveStops.delete(stopPostgres);
    await postgres.stop().catch((error: unknown) => log(`stopping PostgreSQL: ${errorText(error)}`));
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    else log(`kept ${workDir}`);
  }
}
