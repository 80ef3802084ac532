import { readEnv } from '../config/env';
import { startLocalStack } from '../stack/local-stack';
import type { TaskQueueKind } from '../workflows/definitions';

/** How long a starting worker process waits for PostgreSQL (the activities' own outage budget is about 13 minutes). */
const WORKER_DATABASE_WAIT_MS = 10 * 60_000;

/**
 * A worker process for the given queues against TEMPORAL_ADDRESS (default the local dev server) and
 * DATABASE_URL; runs until SIGINT/SIGTERM. The per-queue entry files beside this one call it.
 */
export async function runWorkerProcess(queues: TaskQueueKind[], options: { browserContexts?: number } = {}): Promise<void> {
  const stack = await startLocalStack({
    env: readEnv(),
    startTemporal: false,
    localServices: false,
    workerQueues: queues,
    browserContexts: options.browserContexts ?? Number(process.env.RATCHET_BROWSER_CONTEXTS ?? 2),
    // A worker (re)started while PostgreSQL is down waits for it, as its activities would.
    databaseWaitMs: WORKER_DATABASE_WAIT_MS,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await Promise.race([stopped, stack.workersDone]);
  await stack.stop();
}
