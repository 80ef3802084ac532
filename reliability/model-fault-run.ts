// A whole improvement run whose every model endpoint (agent, OOD generator, evaluator judge, LLM
// critic, embeddings and the fine-tuning API) goes through the fault-injecting proxy, on a real
// local stack (Temporal dev server, PostgreSQL, Chromium, the built-in sites, the local model
// server). Shared by reliability/fault-run.ts (npm run reliability:faults) and
// test/reliability/fault-run.test.ts. It reports what the proxy injected, what the workflow
// histories recorded (the retries the Temporal UI shows), and what, if anything, was lost.
import { cpus, loadavg } from 'node:os';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { descendantRssKiB } from '../bench/process-memory';
import { parseRunSpec, type RunSpec } from '../src/config/run-spec';
import { launchRun } from '../src/runs/launch-run';
import { DEFAULT_FAULTS, startFaultInjectingProxy, type FaultKind, type FaultProxyStats } from '../src/reliability/fault-injecting-proxy';
import { listEpisodes } from '../src/storage/episodes';
import { listStepStates } from '../src/storage/runs';
import { startTestStack, type TestStack } from '../test/support/stack';

/** Client deadline of every model call in the run: what a timeout fault costs. */
export const MODEL_CALL_TIMEOUT_MS = 10_000;
const STACK_START_ATTEMPTS = 3;

export interface FaultRunOptions {
  /** Tasks per split (the run spec's suite.taskLimit). */
  tasks: number;
  rounds: number;
  rate: number;
  seed: number;
  faults?: FaultKind[];
  concurrency: number;
  maxSteps: number;
  oodCount: number;
  /** Give up (and report the run as unfinished) after this long. */
  timeoutMs: number;
  log?: (line: string) => void;
}

/** Retries one activity type needed, read from the workflow histories. */
export interface ActivityRetryFigures {
  activityType: string;
  /** Activity executions (each may have had several attempts). */
  executions: number;
  /** Executions that needed more than one attempt. */
  retried: number;
  /** Failed attempts that were retried (attempt - 1, summed). */
  retries: number;
  maxAttempt: number;
  /** Executions that failed after their last attempt. */
  failedFinally: number;
}

export interface FaultRunResult {
  runId: string;
  finished: boolean;
  /** Why the run did not finish, or null. */
  problem: string | null;
  roundsCompleted: number;
  wallSeconds: number;
  proxy: FaultProxyStats;
  options: Omit<FaultRunOptions, 'log'> & { faults: FaultKind[]; modelCallTimeoutMs: number };
  episodes: { total: number; completed: number; failed: number; steps: number };
  /** Steps of the run that did not complete (waiting for an operator, skipped, aborted). */
  stepsNotCompleted: Array<{ workflowId: string; step: string; status: string; error: string | null }>;
  histories: {
    workflows: number;
    activities: ActivityRetryFigures[];
    /** Failed attempts recorded in the histories whose last failure is a classified model failure, by failure type. */
    lastFailureTypes: Record<string, number>;
    /** One example of a retried activity as the Temporal UI shows it: its attempt and last failure. */
    example: { workflowId: string; activityType: string; attempt: number; lastFailure: string } | null;
  };
  /** Items lost: episodes that failed after their retries (charged to the failure budget) plus steps that did not complete. */
  itemsLost: number;
  /** Injected faults whose activity still succeeded on a later attempt. */
  faultsSurvived: number;
  memory: { peakTotalMiB: number; peakRatchetProcessMiB: number; peakChildrenMiB: number };
  machine: { cores: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
}

const MODEL_FAILURE_TYPE = /^(HTTP\d{3}|ModelTimeout|ModelConnectionError|UnreadableModelResponse|ModelCallError)$/;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Every workflow execution in the namespace whose id starts with the run id (the run, its rounds, rollouts and evaluations, all continue-as-new runs). */
async function runExecutions(client: Client, runId: string): Promise<Array<{ workflowId: string; runId: string }>> {
  const executions: Array<{ workflowId: string; runId: string }> = [];
  // The stack is this run's own, so listing everything and filtering by id is cheap and needs no query support.
  for await (const execution of client.workflow.list()) {
    if (execution.workflowId.startsWith(runId)) executions.push({ workflowId: execution.workflowId, runId: execution.runId });
  }
  return executions;
}

/** Retries per activity type, read from ActivityTaskStarted (attempt, last failure) and ActivityTaskFailed events. */
async function readHistories(client: Client, runId: string): Promise<FaultRunResult['histories']> {
  const byType = new Map<string, ActivityRetryFigures>();
  const lastFailureTypes: Record<string, number> = {};
  let example: FaultRunResult['histories']['example'] = null;
  const executions = await runExecutions(client, runId);
  for (const execution of executions) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    const typeOfScheduled = new Map<string, string>();
    for (const event of events) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const activityType = scheduled.activityType?.name ?? 'unknown';
        typeOfScheduled.set(String(event.eventId), activityType);
        const figures = byType.get(activityType) ?? { activityType, executions: 0, retried: 0, retries: 0, maxAttempt: 0, failedFinally: 0 };
        figures.executions += 1;
        byType.set(activityType, figures);
        continue;
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const activityType = typeOfScheduled.get(String(started.scheduledEventId)) ?? 'unknown';
        const figures = byType.get(activityType);
        const attempt = started.attempt ?? 1;
        if (figures) {
          figures.maxAttempt = Math.max(figures.maxAttempt, attempt);
          if (attempt > 1) {
            figures.retried += 1;
            figures.retries += attempt - 1;
          }
        }
        const failureType = started.lastFailure?.applicationFailureInfo?.type ?? (started.lastFailure ? 'other' : null);
        if (attempt > 1 && failureType) {
          lastFailureTypes[failureType] = (lastFailureTypes[failureType] ?? 0) + 1;
          if (!example && MODEL_FAILURE_TYPE.test(failureType)) {
            example = { workflowId: execution.workflowId, activityType, attempt, lastFailure: started.lastFailure?.message ?? '' };
          }
        }
        continue;
      }
      const failed = event.activityTaskFailedEventAttributes;
      if (failed) {
        const figures = byType.get(typeOfScheduled.get(String(failed.scheduledEventId)) ?? 'unknown');
        if (figures) figures.failedFinally += 1;
      }
    }
  }
  const activities = [...byType.values()].sort((a, b) => b.retries - a.retries || a.activityType.localeCompare(b.activityType));
  return { workflows: executions.length, activities, lastFailureTypes, example };
}

/** The run spec: a small run on the built-in suite with every model endpoint at the proxy. */
export function faultRunSpec(proxyUrl: string, options: Pick<FaultRunOptions, 'tasks' | 'rounds' | 'seed' | 'concurrency' | 'maxSteps' | 'oodCount'>): RunSpec {
  const endpoint = { baseUrl: proxyUrl, model: 'ratchet-base', timeoutMs: MODEL_CALL_TIMEOUT_MS };
  return parseRunSpec({
    name: 'model-faults',
    seed: options.seed,
    rounds: options.rounds,
    model: endpoint,
    judge: endpoint,
    embeddings: endpoint,
    suite: { path: 'builtin', taskLimit: options.tasks },
    rollout: { concurrency: options.concurrency, maxSteps: options.maxSteps },
    ood: { count: options.oodCount },
    critique: { llmJudge: true },
    // Few tasks give 1-2 step trajectories; the paper's balancing would leave no examples.
    mixture: { preset: 'B', balance: false },
    finetune: { provider: { provider: 'openai', endpoint, pollIntervalMs: 300 } },
  }, 'model fault run spec');
}

/** Runs the whole thing and stops everything it started. */
export async function runThroughModelFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const log = options.log ?? (() => undefined);
  const faults = options.faults ?? DEFAULT_FAULTS;
  const loadAverageAtStart = loadavg().map((value) => Number(value.toFixed(2)));
  const startedAt = Date.now();
  let peakOwnKiB = 0;
  let peakChildrenKiB = 0;
  let peakTotalKiB = 0;
  const sampleMemory = () => {
    const own = Math.round(process.memoryUsage().rss / 1024);
    const children = descendantRssKiB(process.pid, /./);
    peakOwnKiB = Math.max(peakOwnKiB, own);
    peakChildrenKiB = Math.max(peakChildrenKiB, children);
    peakTotalKiB = Math.max(peakTotalKiB, own + children);
  };
  const memoryTimer = setInterval(sampleMemory, 1_000);
  memoryTimer.unref();

  let stack: TestStack | undefined;
  // On a loaded machine the Temporal dev server can miss its start-up deadline; try again before giving up.
  for (let attempt = 1; !stack; attempt += 1) {
    try {
      stack = await startTestStack();
    } catch (error) {
      if (attempt >= STACK_START_ATTEMPTS) {
        clearInterval(memoryTimer);
        throw error;
      }
      log(`stack did not start (attempt ${attempt} of ${STACK_START_ATTEMPTS}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  log(`stack up (Temporal ${stack.temporalAddress}, UI ${stack.uiUrl ?? 'none'})`);
  const proxy = await startFaultInjectingProxy({ target: stack.local.modelBaseUrl ?? '', rate: options.rate, seed: options.seed, faults, timeoutHoldMs: 60_000 });
  log(`fault proxy ${proxy.url} -> ${stack.local.modelBaseUrl ?? ''} at rate ${options.rate}`);
  const runId = `model-faults-${Date.now()}`;
  try {
    const spec = faultRunSpec(proxy.url, options);
    const handle = await launchRun({ client: stack.client, db: stack.deps.db, spec, runId });
    log(`run ${runId} started`);
    let problem: string | null = null;
    let roundsCompleted = 0;
    let finished = false;
    const outcome = handle.result().then(
      (result) => { finished = true; roundsCompleted = result.roundsCompleted; },
      (error: unknown) => { problem ??= `the run failed: ${error instanceof Error ? error.message : String(error)}`; },
    );
    const deadline = startedAt + options.timeoutMs;
    let lastReport = 0;
    while (!finished && problem === null) {
      await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (finished || problem !== null) break;
      const waiting = (await listStepStates(stack.deps.db, runId)).find((state) => state.status === 'waiting_for_operator');
      if (waiting) problem = `step ${waiting.step} of ${waiting.workflow_id} is waiting for an operator: ${waiting.error ?? ''}`;
      else if (Date.now() > deadline) problem = `the run did not finish within ${Math.round(options.timeoutMs / 60_000)} minutes`;
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        const stats = proxy.stats();
        log(`${Math.round((Date.now() - startedAt) / 1000)} s: ${stats.requests} model requests, ${stats.injected} faults injected`);
      }
    }
    if (!finished) await handle.terminate(problem ?? 'stopped').catch(() => undefined);
    const wallSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    sampleMemory();

    const episodes = await listEpisodes(stack.deps.db, { runId });
    const steps = await stack.deps.db.query('SELECT count(*)::int AS steps FROM steps JOIN episodes ON episodes.id = steps.episode_id WHERE episodes.run_id = $1', [runId]);
    const stepsNotCompleted = (await listStepStates(stack.deps.db, runId))
      .filter((state) => state.status !== 'completed')
      .map((state) => ({ workflowId: state.workflow_id, step: state.step, status: state.status, error: state.error ?? null }));
    const histories = await readHistories(stack.client, runId);
    const proxyStats = proxy.stats();
    const failedEpisodes = episodes.filter((episode) => episode.status !== 'completed').length;
    const modelFailedFinally = histories.activities.reduce((sum, figures) => sum + figures.failedFinally, 0);
    return {
      runId,
      finished,
      problem,
      roundsCompleted,
      wallSeconds,
      proxy: proxyStats,
      options: { tasks: options.tasks, rounds: options.rounds, rate: options.rate, seed: options.seed, faults, concurrency: options.concurrency, maxSteps: options.maxSteps, oodCount: options.oodCount, timeoutMs: options.timeoutMs, modelCallTimeoutMs: MODEL_CALL_TIMEOUT_MS },
      episodes: {
        total: episodes.length,
        completed: episodes.length - failedEpisodes,
        failed: failedEpisodes,
        steps: (steps.rows[0] as { steps: number }).steps,
      },
      stepsNotCompleted,
      histories,
      itemsLost: failedEpisodes + stepsNotCompleted.length,
      faultsSurvived: Math.max(0, proxyStats.injected - modelFailedFinally),
      memory: { peakTotalMiB: Math.round(peakTotalKiB / 1024), peakRatchetProcessMiB: Math.round(peakOwnKiB / 1024), peakChildrenMiB: Math.round(peakChildrenKiB / 1024) },
      machine: { cores: cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))) },
    };
  } finally {
    clearInterval(memoryTimer);
    await proxy.close();
    await stack.teardown();
  }
}
