// Timeouts and retry policies per kind of activity. Retries are bounded so that a step whose
// retries are exhausted reaches the operator instead of retrying forever.
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { BrowserActivities } from '../activities/browser';
import type { CritiqueActivities } from '../activities/critique';
import type { ExperimentActivities } from '../activities/experiment';
import type { FineTuneActivities } from '../activities/finetune';
import type { LlmActivities } from '../activities/llm';
import type { MetricsActivities } from '../activities/metrics';
import type { MixActivities } from '../activities/mix';
import type { StoreActivities } from '../activities/store';
import { TASK_QUEUES } from './definitions';

const STEP_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 };

// Every activity has 30 attempts, which only transient faults may spend: the model endpoint or
// PostgreSQL not answering (src/activities/activity-failure.ts); other failures are final after 3.
// A model fault mid-episode restarts the episode, so at a 20% fault rate an episode of ~4 model calls
// fails an attempt more than half the time. 30 attempts at up to 30 s apart wait out an endpoint or
// database outage of about 13 minutes before the step reaches the operator.
const TRANSIENT_FAULT_RETRY = { ...STEP_RETRY, maximumAttempts: 30 };

const bookkeeping: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '1 minute', retry: TRANSIENT_FAULT_RETRY };

/** Database bookkeeping: small, fast, idempotent writes. */
export const store = proxyActivities<StoreActivities>(bookkeeping);

/** Critique, mixing and metrics run on the cpu queue and heartbeat while they work. */
export const critique = proxyActivities<CritiqueActivities>({ ...bookkeeping, startToCloseTimeout: '10 minutes', heartbeatTimeout: '1 minute', retry: TRANSIENT_FAULT_RETRY });
export const mix = proxyActivities<MixActivities>({ ...bookkeeping, startToCloseTimeout: '10 minutes', heartbeatTimeout: '1 minute', retry: TRANSIENT_FAULT_RETRY });
export const metrics = proxyActivities<MetricsActivities>({ ...bookkeeping, startToCloseTimeout: '20 minutes', heartbeatTimeout: '1 minute', retry: TRANSIENT_FAULT_RETRY });

/** An experiment's comparisons with the base model and its end (cpu queue). */
export const experiment = proxyActivities<ExperimentActivities>({ ...bookkeeping, startToCloseTimeout: '5 minutes', retry: TRANSIENT_FAULT_RETRY });

/** Out-of-domain synthesis: many model calls; heartbeats after each example and resumes from them. */
export const llm = proxyActivities<LlmActivities>({ taskQueue: TASK_QUEUES.llm, startToCloseTimeout: '1 hour', heartbeatTimeout: '2 minutes', retry: TRANSIENT_FAULT_RETRY });

/** One episode in a real browser; heartbeats every agent step and every few seconds, so a dead worker is noticed in 30 s. */
export const browser = proxyActivities<BrowserActivities>({
  taskQueue: TASK_QUEUES.browser,
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds',
  retry: TRANSIENT_FAULT_RETRY,
});

/** Launching a fine-tune: find an existing job by metadata before creating one. */
export const finetune = proxyActivities<FineTuneActivities>({ taskQueue: TASK_QUEUES.train, startToCloseTimeout: '10 minutes', heartbeatTimeout: '2 minutes', retry: TRANSIENT_FAULT_RETRY });

/** Polling a fine-tune: each attempt checks once; "still running" is a retryable failure at a fixed interval. */
export function fineTunePoller(pollIntervalMs: number) {
  return proxyActivities<Pick<FineTuneActivities, 'checkFineTune'>>({
    taskQueue: TASK_QUEUES.train,
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: pollIntervalMs, backoffCoefficient: 1, maximumInterval: pollIntervalMs, nonRetryableErrorTypes: ['FineTuneFailed'] },
  });
}
