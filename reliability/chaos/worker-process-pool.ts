// One `ratchet worker --queue <kind>` process per task queue, supervised: a process that dies is
// started again (an unexpected death is recorded), and its memory is sampled for the report.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import type { TaskQueueKind } from '../../src/workflows/definitions';
import { measureProcessTrees } from './process-tree-memory';

/** What a worker process needs to find the stack it serves. */
export interface WorkerEndpoints {
  temporalAddress: string;
  databaseUrl: string;
  dataDir: string;
  modelBaseUrl: string;
  siteUrls: Record<string, string>;
}

export interface WorkerPoolOptions {
  queues: readonly TaskQueueKind[];
  browserContexts: number;
  logDir: string;
  log: (line: string) => void;
}

/** A worker that exited without being asked to (it is started again). */
export interface UnexpectedWorkerExit {
  queue: TaskQueueKind;
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  at: Date;
}

export interface WorkerMemoryPeak {
  /** Highest resident set of a worker process of this queue (MiB). */
  processRssMiB: number;
  /** Highest memory of the process with its children, e.g. Chromium (MiB, PSS where readable). */
  withChildrenMiB: number;
}

/** How long a (re)started worker may take to connect and report its queue served. */
const READY_TIMEOUT_MS = 180_000;
const RESPAWN_DELAY_MS = 2_000;
const STOP_TIMEOUT_MS = 15_000;
const MEMORY_SAMPLE_MS = 1_000;
/** `startLocalStack` logs this once the process's workers run (src/stack/local-stack.ts). */
const READY_LINE = 'workers serving:';

interface SupervisedWorker {
  queue: TaskQueueKind;
  child: ChildProcess;
  generation: number;
  ready: boolean;
  /** Set before a kill or stop we caused, so its exit is not counted as unexpected. */
  expectedExit: boolean;
  exited: Promise<void>;
}

/** The worker processes of one stack, one per queue. */
export class WorkerProcessPool {
  readonly unexpectedExits: UnexpectedWorkerExit[] = [];
  private readonly current = new Map<TaskQueueKind, SupervisedWorker>();
  private readonly generations = new Map<TaskQueueKind, number>();
  private readonly peaks = new Map<TaskQueueKind, { rssKiB: number; treeKiB: number }>();
  private readonly sampler: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly endpoints: WorkerEndpoints, private readonly options: WorkerPoolOptions) {
    mkdirSync(options.logDir, { recursive: true });
    this.sampler = setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.sampler.unref();
  }

  /** Starts a process for every queue and waits until each serves its queue. */
  async startAll(): Promise<void> {
    for (const queue of this.options.queues) this.spawnWorker(queue);
    await Promise.all(this.options.queues.map((queue) => this.waitReady(queue)));
  }

  /** The pid of the live process serving `queue`. */
  pidOf(queue: TaskQueueKind): number | undefined {
    return this.current.get(queue)?.child.pid;
  }

  /** SIGKILLs the process serving `queue`, starts a new one, and waits until it serves the queue. */
  async killAndReplace(queue: TaskQueueKind): Promise<{ killedPid: number | undefined; replacementPid: number | undefined }> {
    const victim = this.current.get(queue);
    if (!victim) throw new Error(`no worker process serves ${queue}`);
    victim.expectedExit = true;
    const killedPid = victim.child.pid;
    victim.child.kill('SIGKILL');
    await victim.exited;
    this.spawnWorker(queue);
    await this.waitReady(queue);
    return { killedPid, replacementPid: this.pidOf(queue) };
  }

  /** Waits until the current process of `queue` reports that it serves the queue (a dead one is replaced meanwhile). */
  async waitReady(queue: TaskQueueKind, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.current.get(queue)?.ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the ${queue} worker did not serve its queue within ${timeoutMs} ms; see ${this.options.logDir}`);
  }

  /** Peak memory per queue seen so far (MiB). */
  memoryPeaks(): Partial<Record<TaskQueueKind, WorkerMemoryPeak>> {
    this.sampleMemory();
    return Object.fromEntries([...this.peaks].map(([queue, peak]) => [queue, {
      processRssMiB: Math.round(peak.rssKiB / 1024),
      withChildrenMiB: Math.round(peak.treeKiB / 1024),
    }]));
  }

  /** Stops every worker (SIGTERM, then SIGKILL after a grace period). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sampler);
    await Promise.all([...this.current.values()].map(async (worker) => {
      worker.expectedExit = true;
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
      worker.child.kill('SIGTERM');
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await worker.exited;
      clearTimeout(timer);
    }));
  }

  private spawnWorker(queue: TaskQueueKind): void {
    const generation = (this.generations.get(queue) ?? 0) + 1;
    this.generations.set(queue, generation);
    const log = createWriteStream(join(this.options.logDir, `worker-${queue}-${generation}.log`));
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), 'worker', '--queue', queue, '--browser-contexts', String(this.options.browserContexts)], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: this.endpoints.temporalAddress,
        DATABASE_URL: this.endpoints.databaseUrl,
        RATCHET_DATA_DIR: this.endpoints.dataDir,
        RATCHET_MODEL_SERVER_URL: this.endpoints.modelBaseUrl,
        RATCHET_SITE_URLS: JSON.stringify(this.endpoints.siteUrls),
        RATCHET_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker: SupervisedWorker = {
      queue, child, generation, ready: false, expectedExit: false,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    let pending = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      pending = (pending + chunk.toString('utf8')).slice(-4_096);
      if (!worker.ready && pending.includes(READY_LINE)) worker.ready = true;
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.once('exit', (code, signal) => {
      if (worker.expectedExit || this.stopping) return;
      this.unexpectedExits.push({ queue, pid: child.pid, code, signal, at: new Date() });
      this.options.log(`the ${queue} worker (pid ${child.pid}) exited on its own (${code ?? signal}); starting it again`);
      setTimeout(() => {
        if (!this.stopping && this.current.get(queue) === worker) this.spawnWorker(queue);
      }, RESPAWN_DELAY_MS).unref();
    });
    this.current.set(queue, worker);
  }

  private sampleMemory(): void {
    const pids = new Map<number, TaskQueueKind>();
    for (const [queue, worker] of this.current) if (worker.child.pid !== undefined && worker.child.exitCode === null) pids.set(worker.child.pid, queue);
    for (const [pid, memory] of measureProcessTrees([...pids.keys()])) {
      const queue = pids.get(pid)!;
      const peak = this.peaks.get(queue) ?? { rssKiB: 0, treeKiB: 0 };
      this.peaks.set(queue, { rssKiB: Math.max(peak.rssKiB, memory.ownRssKiB), treeKiB: Math.max(peak.treeKiB, memory.treeKiB) });
    }
  }
}
