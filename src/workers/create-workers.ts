import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDependencies } from '../activities/dependencies';
import { TASK_QUEUES, type TaskQueueKind } from '../workflows/definitions';
import { loadWorkflowBundle } from './workflow-bundle';

export const ALL_QUEUES: TaskQueueKind[] = ['orchestration', 'browser', 'llm', 'cpu', 'train'];

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDependencies;
  /** Concurrent browser contexts of this process (episodes at once). */
  browserContexts: number;
  /** Payload codecs (encryption) of every payload this worker sends and receives; none by default. */
  payloadCodecs?: PayloadCodec[];
}

/** One Temporal worker for one task queue, registering only that queue's workflows or activities. */
export async function createWorker(kind: TaskQueueKind, options: WorkerOptions): Promise<Worker> {
  const base = { connection: options.connection, namespace: options.namespace, taskQueue: TASK_QUEUES[kind], dataConverter: { payloadCodecs: options.payloadCodecs ?? [] } };
  const activities = createActivities(options.deps);
  switch (kind) {
    case 'orchestration':
      return Worker.create({ ...base, workflowBundle: await loadWorkflowBundle(), maxConcurrentWorkflowTaskExecutions: 20 });
    case 'browser':
      return Worker.create({ ...base, activities: activities.browser, maxConcurrentActivityTaskExecutions: options.browserContexts });
    case 'llm':
      return Worker.create({ ...base, activities: activities.llm, maxConcurrentActivityTaskExecutions: 8 });
    case 'cpu':
      return Worker.create({ ...base, activities: { ...activities.store, ...activities.critique, ...activities.mix, ...activities.metrics, ...activities.experiment }, maxConcurrentActivityTaskExecutions: 8 });
    case 'train':
      return Worker.create({ ...base, activities: activities.finetune, maxConcurrentActivityTaskExecutions: 4 });
  }
}

/** Workers for several queues in one process; `run()` resolves when all have shut down. */
export async function createWorkers(kinds: TaskQueueKind[], options: WorkerOptions): Promise<{ workers: Worker[]; run: () => Promise<void>; shutdown: () => void }> {
  const workers = await Promise.all(kinds.map((kind) => createWorker(kind, options)));
  return {
    workers,
    run: async () => {
      await Promise.all(workers.map((worker) => worker.run()));
    },
    shutdown: () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
