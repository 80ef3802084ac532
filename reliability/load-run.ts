// The load test behind `npm run reliability:load` and test/reliability/load.test.ts: a stack of its
// own (a Temporal dev server with history on disk, on free ports; a fresh database on the machine's
// PostgreSQL; the built-in sites and the local model server in this process) and one `ratchet
// worker` process per task queue, then ONE evaluation workflow that queues every episode at once
// (tasks x samplesPerTask) with rollout concurrency = browser contexts, exactly as a run's
// evaluation does. While it drains, /proc is sampled every second for each worker process's RSS and
// the browser worker's Chromium tree; afterwards every workflow history is fetched and measured,
// and the episodes are checked against the rollout's own history (none lost, none run twice).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { createStoreActivities } from '../src/activities/store';
import { readEnv } from '../src/config/env';
import { parseRunSpec, type RunSpec } from '../src/config/run-spec';
import { contentHash } from '../src/domain/content-hash';
import { startLocalStack, type LocalStack } from '../src/stack/local-stack';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import type { Queryable } from '../src/storage/database';
import { insertRun } from '../src/storage/runs';
import { loadTaskSuite } from '../src/tasks/load-task-suite';
import { BUILTIN_SUITE_PATH } from '../src/activities/store/import-suite';
import { SEARCH_ATTRIBUTES, TASK_QUEUES, statusQuery, type EvaluationInput, type EvaluationSummary, type RolloutInput, type TaskQueueKind } from '../src/workflows/definitions';
import type { evaluation } from '../src/workflows/evaluation';
import { createTestDatabase } from '../test/support/database';
import { processTreeMemory, readProcessTable } from './process-tree-memory';

/** Temporal's default hard limits on one workflow execution's history. */
export const TEMPORAL_HISTORY_LIMITS = { events: 51_200, bytes: 50 * 1024 * 1024 } as const;

export interface LoadOptions {
  /** Episodes to queue: tasks x samplesPerTask must equal it. */
  episodes: number;
  /** Browser contexts of the one browser worker, and the rollout's concurrency. */
  contexts: number;
  /** The agent's step limit per episode. */
  maxSteps: number;
  /** Samples per task; default the fewest that reach `episodes` with the suite's tasks. */
  samplesPerTask?: number;
  /** The run id (it seeds which tasks are sampled); default `load-<timestamp>`. */
  runId?: string;
  /** How often /proc is sampled (ms). */
  sampleIntervalMs?: number;
  /** Give up (and say so) when the evaluation has not finished after this long. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export type WorkerKind = TaskQueueKind;
const WORKER_KINDS: WorkerKind[] = ['orchestration', 'browser', 'cpu', 'llm', 'train'];

interface MemorySample {
  /** Seconds since the evaluation started. */
  seconds: number;
  /** Episodes finished (completed or failed) at the time of the sample. */
  finished: number;
  /** Per worker kind: its own process's RSS (MiB). */
  workerRssMiB: Record<WorkerKind, number>;
  /** The browser worker's Chromium processes: sum of PSS and of RSS (MiB), and how many there were. */
  chromiumPssMiB: number;
  chromiumRssMiB: number;
  chromiumProcesses: number;
  /** This process (built-in sites, local model server, Temporal client) and the Temporal dev server. */
  driverRssMiB: number;
  temporalServerRssMiB: number;
}

export interface HistoryFigure {
  workflowId: string;
  workflowType: string;
  events: number;
  /** Size of the history as fetched (protobuf-encoded History, bytes). */
  bytes: number;
  /** The server's own figure (DescribeWorkflowExecution historySizeBytes), when it reports one. */
  serverBytes: number | null;
}

export interface LoadResult {
  setup: {
    episodes: number;
    tasks: number;
    samplesPerTask: number;
    contexts: number;
    rolloutConcurrency: number;
    maxSteps: number;
    model: string;
    agent: string;
    writingTasks: number;
    workers: string;
    temporal: string;
    sampleIntervalMs: number;
  };
  machine: { cpus: number; memoryGiB: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; meanLoadAverageDuringRun: number };
  /** The evaluation workflow completed (rollout, then metrics). */
  finished: boolean;
  /** The rollout child workflow (every episode) completed, whatever happened after it. */
  rolloutCompleted: boolean;
  /** Why the run did not finish, when it did not. */
  problem: string | null;
  episodes: {
    expected: number;
    completed: number;
    failed: number;
    /** Expected episodes with no finished row at the end. */
    lost: number;
    /** Expected episodes the rollout never scheduled. */
    neverScheduled: number;
    /** Episode rows of the evaluation that the rollout was not asked for. */
    unexpected: number;
    /** Episodes scheduled more than once by the rollout (distinct runEpisode activities for one id). */
    duplicated: number;
    /** Episodes whose row says a later attempt ran them (an activity retry, not a duplicate). */
    retried: number;
    steps: number;
    meanSteps: number;
    meanScore: number | null;
    environmentErrors: number;
  };
  wallSeconds: { total: number; setUp: number; evaluation: number; rollout: number | null; firstEpisode: number | null };
  episodesPerMinute: number;
  /**
   * How full the sliding window stayed: the rollout's span (first episode started to last finished)
   * cut into tenths, with the mean number of episodes running in each (from the episodes' own
   * start and finish times) and how many finished in it.
   */
  window: {
    meanInFlight: number;
    maxInFlight: number;
    /** Pairs of episodes that ran at the same time on a shared site while one of them wrote to it (must be 0). */
    siteConflicts: number;
    byTenth: Array<{ tenth: number; meanInFlight: number; finished: number; writersFinished: number }>;
  };
  memory: {
    samples: number;
    peakWorkerRssMiB: Record<WorkerKind, number>;
    peakChromiumPssMiB: number;
    peakChromiumRssMiB: number;
    peakChromiumProcesses: number;
    peakDriverRssMiB: number;
    peakTemporalServerRssMiB: number;
    /** Memory when 10%, 20%, ... 100% of the episodes had finished (the last sample at or before that moment). */
    byProgress: Array<{ percent: number; finished: number; seconds: number; workerRssMiB: Record<WorkerKind, number>; chromiumPssMiB: number }>;
  };
  histories: {
    workflows: HistoryFigure[];
    largestByEvents: HistoryFigure | null;
    largestByBytes: HistoryFigure | null;
    rolloutEventsPerEpisode: number | null;
    rolloutBytesPerEpisode: number | null;
    limits: typeof TEMPORAL_HISTORY_LIMITS;
  };
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const emptyByKind = (): Record<WorkerKind, number> => ({ orchestration: 0, browser: 0, cpu: 0, llm: 0, train: 0 });

/** A `ratchet worker --queue <kind>` process against the load stack, its output in the data folder. */
function spawnWorker(kind: WorkerKind, stack: LocalStack, dataDir: string, contexts: number): { child: ChildProcess; ready: Promise<void> } {
  const args = [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), 'worker', '--queue', kind];
  if (kind === 'browser') args.push('--browser-contexts', String(contexts));
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.namespace,
      DATABASE_URL: stack.databaseUrl,
      RATCHET_DATA_DIR: dataDir,
      RATCHET_MODEL_SERVER_URL: stack.local.modelBaseUrl,
      RATCHET_SITE_URLS: JSON.stringify(stack.local.siteUrls),
      RATCHET_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logPath = join(dataDir, `worker-${kind}.log`);
  const logFile = createWriteStream(logPath);
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  return { child, ready: waitForServing(child, kind, logPath) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killTimer);
}

/** Episode counts of the evaluation, by status. */
async function countEpisodes(db: Queryable, evaluationId: string): Promise<{ completed: number; failed: number; running: number }> {
  const result = await db.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM episodes WHERE evaluation_id = $1 GROUP BY status', [evaluationId]);
  const counts = { completed: 0, failed: 0, running: 0 };
  for (const row of result.rows) if (row.status in counts) counts[row.status as keyof typeof counts] = Number(row.count);
  return counts;
}

/** Every workflow in the namespace (the stack is the load test's own) with its history measured. */
async function measureHistories(client: Client): Promise<HistoryFigure[]> {
  const figures: HistoryFigure[] = [];
  for await (const execution of client.workflow.list()) {
    const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
    const history = await handle.fetchHistory();
    const described = await handle.describe();
    figures.push({
      workflowId: execution.workflowId,
      workflowType: execution.type,
      events: history.events?.length ?? 0,
      bytes: proto.temporal.api.history.v1.History.encode(history).finish().byteLength,
      serverBytes: described.historySize ?? null,
    });
  }
  return figures.sort((a, b) => b.bytes - a.bytes);
}

/** What the rollout workflow was asked to run (its start input) and the episodes it scheduled, from its history. */
async function readRolloutHistory(handle: WorkflowHandle): Promise<{ input: RolloutInput; scheduledEpisodeIds: string[] }> {
  const history = await handle.fetchHistory();
  const decode = (data: Uint8Array | null | undefined, what: string): unknown => {
    if (!data) throw new Error(`${what} has no payload in the history of ${handle.workflowId}`);
    return JSON.parse(Buffer.from(data).toString('utf8'));
  };
  let input: RolloutInput | undefined;
  const scheduledEpisodeIds: string[] = [];
  for (const event of history.events ?? []) {
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) input = decode(started.input?.payloads?.[0]?.data, 'the rollout start') as RolloutInput;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled || scheduled.activityType?.name !== 'runEpisode') continue;
    const episode = decode(scheduled.input?.payloads?.[0]?.data, 'a runEpisode activity') as { episodeId?: unknown };
    if (typeof episode.episodeId !== 'string') throw new Error(`runEpisode input without an episodeId in ${handle.workflowId}`);
    scheduledEpisodeIds.push(episode.episodeId);
  }
  if (!input) throw new Error(`no start event in the history of ${handle.workflowId}`);
  return { input, scheduledEpisodeIds };
}

/** Resolves when a worker process prints that it serves its queue; rejects when it exits first or takes too long. */
function waitForServing(child: ChildProcess, kind: WorkerKind, logPath: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the ${kind} worker did not start within 180 s (log: ${logPath})`)), 180_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} worker exited (${signal ?? code}) before serving: ${seen.slice(-800)}`));
    };
    child.once('exit', onExit);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4_000);
      if (seen.includes('workers serving')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
}

interface EpisodeSpan {
  start: number;
  end: number;
  sites: string[];
  writes: boolean;
}

/** Mean episodes in flight over the rollout's span and per tenth of it, and writer overlaps (see LoadResult.window). */
function windowOccupancy(spans: EpisodeSpan[]): LoadResult['window'] {
  if (spans.length === 0) return { meanInFlight: 0, maxInFlight: 0, siteConflicts: 0, byTenth: [] };
  const first = Math.min(...spans.map((span) => span.start));
  const last = Math.max(...spans.map((span) => span.end));
  const slice = (last - first) / 10 || 1;
  const byTenth = Array.from({ length: 10 }, (_, index) => {
    const from = first + index * slice;
    const to = from + slice;
    const busy = spans.reduce((total, span) => total + Math.max(0, Math.min(span.end, to) - Math.max(span.start, from)), 0);
    const finishedHere = spans.filter((span) => span.end > from && (span.end <= to || index === 9));
    return { tenth: index + 1, meanInFlight: round(busy / slice), finished: finishedHere.length, writersFinished: finishedHere.filter((span) => span.writes).length };
  });
  const busyTotal = spans.reduce((total, span) => total + (span.end - span.start), 0);
  // Most episodes running at once: a sweep over starts (+1) and finishes (-1), finishes first on ties.
  const edges = spans.flatMap((span) => [{ at: span.start, step: 1 }, { at: span.end, step: -1 }]).sort((a, b) => a.at - b.at || a.step - b.step);
  let running = 0;
  let maxInFlight = 0;
  for (const edge of edges) {
    running += edge.step;
    maxInFlight = Math.max(maxInFlight, running);
  }
  let siteConflicts = 0;
  for (const [index, writer] of spans.entries()) {
    if (!writer.writes) continue;
    for (const [otherIndex, other] of spans.entries()) {
      if (otherIndex === index || (other.writes && otherIndex < index)) continue;
      const overlap = writer.start < other.end && other.start < writer.end;
      if (overlap && writer.sites.some((site) => other.sites.includes(site))) siteConflicts += 1;
    }
  }
  return { meanInFlight: round(busyTotal / (last - first || 1)), maxInFlight, siteConflicts, byTenth };
}

/** Whole seconds between two timestamps, or null. */
const secondsBetween = (start: Date | undefined, end: Date | undefined) => (start && end ? round((end.getTime() - start.getTime()) / 1000, 1) : null);

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const sampleIntervalMs = options.sampleIntervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 3 * 60 * 60 * 1000;
  const startedAt = Date.now();
  const loadAverageAtStart = loadavg().map((value) => round(value));
  const loadSamples: number[] = [];

  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-load-'));
  const workers = new Map<WorkerKind, ChildProcess>();
  let stack: LocalStack | undefined;
  let connection: Connection | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    // TEMPORAL_ADDRESS is dropped so the load test always gets a Temporal server of its own.
    const env = readEnv({ ...process.env, TEMPORAL_ADDRESS: undefined, DATABASE_URL: database.url, RATCHET_DATA_DIR: dataDir });
    stack = await startLocalStack({
      env,
      ports: { temporal: 0, temporalUi: 0, modelServer: 0, sites: 'ephemeral' },
      workerQueues: [],
      ephemeralHistory: false,
      log: (line) => log(`stack: ${line}`),
    });
    const localStack = stack;
    connection = await Connection.connect({ address: localStack.temporalAddress });
    const client = new Client({ connection, namespace: localStack.namespace });

    const ready: Array<Promise<void>> = [];
    for (const kind of WORKER_KINDS) {
      const worker = spawnWorker(kind, localStack, dataDir, options.contexts);
      workers.set(kind, worker.child);
      ready.push(worker.ready);
    }
    await Promise.all(ready);
    log(`workers ready: ${WORKER_KINDS.map((kind) => `${kind} (pid ${workers.get(kind)!.pid})`).join(', ')}`);

    // The run's spec carries the step limit the browser workers read back (claim check).
    const allTasks = (await loadTaskSuite(BUILTIN_SUITE_PATH)).tasks.length;
    const samplesPerTask = options.samplesPerTask ?? Math.ceil(options.episodes / allTasks);
    const tasks = options.episodes / samplesPerTask;
    if (!Number.isInteger(tasks) || tasks > allTasks) {
      throw new Error(`--episodes ${options.episodes} with --samples-per-task ${samplesPerTask}: needs a whole number of tasks no larger than the built-in suite's ${allTasks}`);
    }
    const runId = options.runId ?? `load-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
    const spec: RunSpec = parseRunSpec({
      name: 'load',
      suite: { path: 'builtin', taskLimit: tasks },
      rounds: 1,
      // The whole batch always completes; failures are counted below rather than failing the workflow.
      rollout: { samplesPerTask, maxSteps: options.maxSteps, concurrency: options.contexts, failureBudget: 1 },
    }, 'the load test spec');
    await insertRun(localStack.deps.db, { id: runId, spec, specHash: contentHash(spec), gitRevision: null });
    const plan = await createStoreActivities(localStack.deps).prepareRun({ runId });
    const evaluationId = `${runId}/load`;
    const evaluationInput: EvaluationInput = {
      evaluationId, modelId: plan.baseModelId, suiteId: plan.suiteId, split: 'all', label: 'load', runId, round: 0,
      samplesPerTask, concurrency: options.contexts, failureBudget: 1, taskLimit: tasks,
    };
    const setUpSeconds = round((Date.now() - startedAt) / 1000, 1);
    log(`queueing ${options.episodes} episodes (${tasks} tasks x ${samplesPerTask} samples), ${options.contexts} browser contexts, maxSteps ${options.maxSteps}`);

    // Sampling: one pass over /proc per tick, each worker's own RSS and the browser worker's Chromium tree.
    const samples: MemorySample[] = [];
    let finishedNow = 0;
    const evaluationStarted = Date.now();
    const takeSample = () => {
      const table = readProcessTable();
      const workerRssMiB = emptyByKind();
      for (const [kind, child] of workers) workerRssMiB[kind] = mib(table.get(child.pid ?? -1)?.rssKiB ?? 0);
      const chromium = processTreeMemory(workers.get('browser')!.pid ?? -1, /chrom/i, table);
      const temporalServer = processTreeMemory(process.pid, /^temporal/, table);
      samples.push({
        seconds: round((Date.now() - evaluationStarted) / 1000, 1),
        finished: finishedNow,
        workerRssMiB,
        chromiumPssMiB: mib(chromium.matchingPssKiB),
        chromiumRssMiB: mib(chromium.matchingRssKiB),
        chromiumProcesses: chromium.matchingProcesses,
        driverRssMiB: mib(table.get(process.pid)?.rssKiB ?? 0),
        temporalServerRssMiB: mib(temporalServer.matchingRssKiB),
      });
      loadSamples.push(loadavg()[0] ?? 0);
    };
    takeSample();
    sampler = setInterval(takeSample, sampleIntervalMs);

    const handle = await client.workflow.start<typeof evaluation>('evaluation', {
      workflowId: evaluationId,
      taskQueue: TASK_QUEUES.orchestration,
      args: [evaluationInput],
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.runId, value: runId }],
    });
    let summary: EvaluationSummary | undefined;
    let problem: string | null = null;
    const outcome = handle.result().then((value) => { summary = value; }, (error: unknown) => { problem = `the evaluation workflow failed: ${String(error)}`; });
    let lastLogged = -1;
    while (summary === undefined && problem === null) {
      await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      const counts = await countEpisodes(localStack.deps.db, evaluationId);
      finishedNow = counts.completed + counts.failed;
      const tenth = Math.floor((finishedNow / options.episodes) * 10);
      if (tenth !== lastLogged) {
        lastLogged = tenth;
        const last = samples.at(-1);
        log(`${finishedNow}/${options.episodes} episodes finished after ${((Date.now() - evaluationStarted) / 1000).toFixed(0)} s; browser worker ${last?.workerRssMiB.browser ?? 0} MiB, Chromium PSS ${last?.chromiumPssMiB ?? 0} MiB; load ${loadavg()[0]?.toFixed(1)}`);
      }
      if (summary !== undefined || problem !== null) break;
      // A step whose retries ran out waits for an operator: nobody will come, so stop and say so.
      const status = await handle.query(statusQuery).catch(() => undefined);
      if (status?.state.startsWith('waiting for operator')) problem = `the evaluation is ${status.state}`;
      else if (Date.now() - evaluationStarted > timeoutMs) problem = `the evaluation had not finished after ${Math.round(timeoutMs / 60_000)} min`;
    }
    clearInterval(sampler);
    sampler = undefined;
    const counts = await countEpisodes(localStack.deps.db, evaluationId);
    finishedNow = counts.completed + counts.failed;
    takeSample();
    const evaluationSeconds = round((Date.now() - evaluationStarted) / 1000, 1);
    if (problem !== null) await handle.terminate(problem).catch(() => undefined);

    // Histories, and the episodes checked against what the rollout scheduled.
    const rolloutHandle = client.workflow.getHandle(`${evaluationId}/rollout`);
    const rolloutHistory = await readRolloutHistory(rolloutHandle);
    const scheduled = rolloutHistory.scheduledEpisodeIds;
    const rolloutInput = rolloutHistory.input;
    const writingTasks = rolloutInput.taskIds.filter((taskId) => rolloutInput.taskSites[String(taskId)]?.writes).length;
    const scheduledCounts = new Map<string, number>();
    for (const id of scheduled) scheduledCounts.set(id, (scheduledCounts.get(id) ?? 0) + 1);
    const duplicated = [...scheduledCounts.values()].filter((count) => count > 1).length;
    const rolloutDescription = await rolloutHandle.describe();
    const histories = await measureHistories(client);
    const rolloutFigure = histories.find((figure) => figure.workflowId === `${evaluationId}/rollout`) ?? null;

    const rows = await localStack.deps.db.query<{ id: string; task_id: number; status: string; attempt: number; score: number | null; length: number | null; environment_error: string | null; created_at: Date | null; finished_at: Date | null }>(
      'SELECT id, task_id, status, attempt, score, length, environment_error, created_at, finished_at FROM episodes WHERE evaluation_id = $1', [evaluationId],
    );
    const finishedIds = new Set(rows.rows.filter((row) => row.status === 'completed' || row.status === 'failed').map((row) => row.id));
    // What the rollout was asked for (its own start input), independent of what it went on to schedule.
    const expectedIds = rolloutInput.taskIds.flatMap((taskId) =>
      Array.from({ length: rolloutInput.samplesPerTask }, (_, sample) => `${rolloutInput.episodePrefix}/${taskId}/${sample}`));
    if (expectedIds.length !== options.episodes) problem ??= `the rollout was asked for ${expectedIds.length} episodes, not ${options.episodes}`;
    const neverScheduled = expectedIds.filter((id) => !scheduledCounts.has(id)).length;
    const lost = expectedIds.filter((id) => !finishedIds.has(id)).length;
    const expectedSet = new Set(expectedIds);
    const unexpected = rows.rows.filter((row) => !expectedSet.has(row.id)).length;
    const completedRows = rows.rows.filter((row) => row.status === 'completed');
    const scores = completedRows.map((row) => row.score).filter((score): score is number => score !== null);
    const steps = completedRows.reduce((total, row) => total + (row.length ?? 0), 0);
    const firstStarted = rows.rows.map((row) => row.created_at?.getTime()).filter((time): time is number => time !== undefined).sort((a, b) => a - b)[0];

    const peak = (pick: (sample: MemorySample) => number) => Math.max(0, ...samples.map(pick));
    const peakWorkerRssMiB = emptyByKind();
    for (const kind of WORKER_KINDS) peakWorkerRssMiB[kind] = peak((sample) => sample.workerRssMiB[kind]);
    const byProgress: LoadResult['memory']['byProgress'] = [];
    for (let percent = 10; percent <= 100; percent += 10) {
      const threshold = Math.ceil((options.episodes * percent) / 100);
      const index = samples.findIndex((sample) => sample.finished >= threshold);
      const sample = index === -1 ? undefined : samples[index];
      if (sample) byProgress.push({ percent, finished: sample.finished, seconds: sample.seconds, workerRssMiB: sample.workerRssMiB, chromiumPssMiB: sample.chromiumPssMiB });
    }
    const byEvents = [...histories].sort((a, b) => b.events - a.events)[0] ?? null;
    const episodesFinished = counts.completed + counts.failed;

    return {
      setup: {
        episodes: options.episodes, tasks, samplesPerTask, contexts: options.contexts, rolloutConcurrency: options.contexts,
        maxSteps: options.maxSteps, model: `${plan.baseModelId} (the local model server's base policy)`,
        agent: 'the built-in agent (WebArena prompt, accessibility-tree observation), temperature 0',
        writingTasks,
        workers: 'one `ratchet worker --queue <kind>` process per queue: orchestration, browser (with the contexts above), cpu, llm, train',
        temporal: 'Temporal CLI dev server with history on disk (SQLite), on free ports',
        sampleIntervalMs,
      },
      machine: {
        cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version,
        loadAverageAtStart, loadAverageAtEnd: loadavg().map((value) => round(value)),
        meanLoadAverageDuringRun: loadSamples.length ? round(loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length) : 0,
      },
      finished: summary !== undefined,
      rolloutCompleted: rolloutDescription.status.name === 'COMPLETED',
      problem,
      episodes: {
        expected: options.episodes, completed: counts.completed, failed: counts.failed, lost, neverScheduled, unexpected, duplicated,
        retried: rows.rows.filter((row) => row.attempt > 1).length,
        steps, meanSteps: completedRows.length ? round(steps / completedRows.length) : 0,
        meanScore: scores.length ? round(scores.reduce((a, b) => a + b, 0) / scores.length, 3) : null,
        environmentErrors: rows.rows.filter((row) => row.environment_error !== null).length,
      },
      wallSeconds: {
        total: round((Date.now() - startedAt) / 1000, 1),
        setUp: setUpSeconds,
        evaluation: evaluationSeconds,
        rollout: secondsBetween(rolloutDescription.startTime, rolloutDescription.closeTime),
        firstEpisode: firstStarted === undefined ? null : round((firstStarted - evaluationStarted) / 1000, 1),
      },
      episodesPerMinute: round(episodesFinished / (evaluationSeconds / 60), 1),
      window: windowOccupancy(rows.rows.flatMap((row) => {
        const taskSites = rolloutInput.taskSites[String(row.task_id)] ?? { sites: [], writes: false };
        return row.created_at && row.finished_at ? [{ start: row.created_at.getTime(), end: row.finished_at.getTime(), ...taskSites }] : [];
      })),
      memory: {
        samples: samples.length,
        peakWorkerRssMiB,
        peakChromiumPssMiB: peak((sample) => sample.chromiumPssMiB),
        peakChromiumRssMiB: peak((sample) => sample.chromiumRssMiB),
        peakChromiumProcesses: peak((sample) => sample.chromiumProcesses),
        peakDriverRssMiB: peak((sample) => sample.driverRssMiB),
        peakTemporalServerRssMiB: peak((sample) => sample.temporalServerRssMiB),
        byProgress,
      },
      histories: {
        workflows: histories,
        largestByEvents: byEvents,
        largestByBytes: histories[0] ?? null,
        rolloutEventsPerEpisode: rolloutFigure && scheduled.length ? round(rolloutFigure.events / scheduled.length) : null,
        rolloutBytesPerEpisode: rolloutFigure && scheduled.length ? round(rolloutFigure.bytes / scheduled.length, 0) : null,
        limits: TEMPORAL_HISTORY_LIMITS,
      },
    };
  } finally {
    if (sampler) clearInterval(sampler);
    await Promise.all([...workers.values()].map((child) => stopChild(child)));
    await connection?.close().catch(() => undefined);
    await stack?.stop();
    await database.drop().catch((error: unknown) => log(`dropping the load database failed: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
