import type { Command } from 'commander';
import { readEnv } from '../config/env';

async function withScheduleClient<T>(work: (client: import('@temporalio/client').Client) => Promise<T>): Promise<T> {
  const { withTemporalClient } = await import('../runs/temporal-client');
  return withTemporalClient(readEnv(), work);
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** `schedule create|list|pause|unpause|trigger|delete`: the nightly evaluation of the current champion. */
export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('nightly evaluations of the current champion on a frozen suite (Temporal schedules)');

  schedule
    .command('create')
    .description('create the nightly evaluation schedule (overlap: skip; missed runs caught up within the window)')
    .option('--id <scheduleId>', 'schedule id', 'ratchet-nightly-evaluation')
    .option('--cron <expression>', 'when, as a cron expression in UTC', '0 3 * * *')
    .option('--suite <path>', 'frozen suite to evaluate on', 'builtin')
    .option('--split <split>', 'train, eval or all', 'eval')
    .option('--run <runId>', 'evaluate the champion of this run (default: of the latest completed run)')
    .option('--task-limit <n>', 'evaluate at most this many tasks (a fixed seeded sample)')
    .option('--concurrency <n>', 'concurrent episodes', '2')
    .option('--catchup-window <duration>', 'how far back missed runs are caught up', '1 day')
    .action(async (options: { id: string; cron: string; suite: string; split: string; run?: string; taskLimit?: string; concurrency: string; catchupWindow: string }) => {
      if (!['train', 'eval', 'all'].includes(options.split)) throw new Error(`--split must be train, eval or all, got '${options.split}'`);
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a positive integer, got '${options.concurrency}'`);
      const taskLimit = options.taskLimit === undefined ? undefined : Number(options.taskLimit);
      if (taskLimit !== undefined && (!Number.isInteger(taskLimit) || taskLimit < 1)) throw new Error(`--task-limit must be a positive integer, got '${options.taskLimit}'`);
      const { createNightlySchedule, describeSchedule } = await import('../runs/schedules');
      await withScheduleClient(async (client) => {
        await createNightlySchedule(client, {
          scheduleId: options.id,
          cron: options.cron,
          catchupWindow: options.catchupWindow,
          input: { suitePath: options.suite, split: options.split as 'train' | 'eval' | 'all', runId: options.run, taskLimit, concurrency },
        });
        print(await describeSchedule(client, options.id));
      });
    });

  schedule
    .command('list')
    .description('list schedules with their next and recent runs')
    .action(async () => {
      const { listSchedules } = await import('../runs/schedules');
      await withScheduleClient(async (client) => print(await listSchedules(client)));
    });

  for (const [name, description] of [['pause', 'pause a schedule'], ['unpause', 'resume a paused schedule'], ['trigger', 'run a schedule now'], ['delete', 'delete a schedule']] as const) {
    schedule
      .command(`${name} [scheduleId]`)
      .description(description)
      .option('--note <text>', 'why (shown in the Temporal UI)')
      .action(async (scheduleId: string | undefined, options: { note?: string }) => {
        const { DEFAULT_SCHEDULE_ID, describeSchedule } = await import('../runs/schedules');
        const id = scheduleId ?? DEFAULT_SCHEDULE_ID;
        await withScheduleClient(async (client) => {
          const handle = client.schedule.getHandle(id);
          if (name === 'pause') await handle.pause(options.note);
          if (name === 'unpause') await handle.unpause(options.note);
          if (name === 'trigger') await handle.trigger();
          if (name === 'delete') await handle.delete();
          print(name === 'delete' ? { scheduleId: id, deleted: true } : await describeSchedule(client, id));
        });
      });
  }
}
