import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { TASK_QUEUES } from '../workflows/definitions';
import type { NightlyEvaluationInput } from '../workflows/nightly-evaluation';

export const DEFAULT_SCHEDULE_ID = 'ratchet-nightly-evaluation';

export interface NightlyScheduleOptions {
  scheduleId: string;
  /** Cron expression (UTC), default 03:00 every night. */
  cron: string;
  input: NightlyEvaluationInput;
  /** How far back missed runs are caught up after downtime. */
  catchupWindow: string;
}

/** Creates the nightly evaluation schedule: overlapping runs are skipped, missed ones caught up within the window. */
export async function createNightlySchedule(client: Client, options: NightlyScheduleOptions): Promise<void> {
  await client.schedule.create({
    scheduleId: options.scheduleId,
    spec: { cronExpressions: [options.cron] },
    action: { type: 'startWorkflow', workflowType: 'nightlyEvaluation', taskQueue: TASK_QUEUES.orchestration, args: [options.input], workflowId: `${options.scheduleId}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: options.catchupWindow },
    memo: { purpose: 'nightly evaluation of the current champion' },
  });
}

/** A schedule as the CLI prints it. */
export interface ScheduleView {
  scheduleId: string;
  paused: boolean;
  /** The schedule's calendar entries (cron expressions are stored as calendars by Temporal). */
  calendars: unknown;
  nextActionTimes: string[];
  recentActions: Array<{ scheduledAt: string; workflowId: string }>;
  note: string | undefined;
}

function view(description: ScheduleDescription): ScheduleView {
  return {
    scheduleId: description.scheduleId,
    paused: description.state.paused,
    calendars: description.spec.calendars ?? [],
    nextActionTimes: description.info.nextActionTimes.map((time) => time.toISOString()),
    recentActions: description.info.recentActions.map((action) => ({ scheduledAt: action.scheduledAt.toISOString(), workflowId: action.action.workflow.workflowId })),
    note: description.state.note,
  };
}

/** Every schedule of the namespace, described. */
export async function listSchedules(client: Client): Promise<ScheduleView[]> {
  const views: ScheduleView[] = [];
  for await (const summary of client.schedule.list()) {
    views.push(view(await client.schedule.getHandle(summary.scheduleId).describe()));
  }
  return views;
}

/** One schedule, described. */
export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleView> {
  return view(await client.schedule.getHandle(scheduleId).describe());
}
