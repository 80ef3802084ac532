import { z } from 'zod';
import type { Queryable } from './database';

export interface StoredTask {
  taskId: number;
  intentTemplateId: number;
  capabilityId: string;
  split: 'train' | 'eval' | 'all';
  sites: string[];
  /** True when the task changes site state (program_html tasks); such tasks never share a site at once. */
  writes: boolean;
  /** The WebArena task config, placeholders already replaced. */
  config: unknown;
}

const taskRowSchema = z.object({
  suite_id: z.string(),
  task_id: z.number(),
  intent_template_id: z.number(),
  capability_id: z.string(),
  split: z.enum(['train', 'eval', 'all']),
  sites: z.array(z.string()),
  writes: z.boolean(),
  config: z.unknown(),
});

function toStoredTask(row: unknown): StoredTask {
  const parsed = taskRowSchema.parse(row);
  return {
    taskId: parsed.task_id,
    intentTemplateId: parsed.intent_template_id,
    capabilityId: parsed.capability_id,
    split: parsed.split,
    sites: parsed.sites,
    writes: parsed.writes,
    config: parsed.config,
  };
}

/** Stores a suite and its tasks once per content hash (the suite id); re-importing is a no-op. */
export async function upsertSuite(
  db: Queryable,
  suite: { id: string; name: string; source: string; splits: unknown; contentHash: string; tasks: StoredTask[] },
): Promise<void> {
  await db.query(
    `INSERT INTO task_suites (id, name, source, splits, task_count, content_hash) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING`,
    [suite.id, suite.name, suite.source, JSON.stringify(suite.splits), suite.tasks.length, suite.contentHash],
  );
  const batch = 200;
  for (let start = 0; start < suite.tasks.length; start += batch) {
    const chunk = suite.tasks.slice(start, start + batch);
    await db.query(
      `INSERT INTO tasks (suite_id, task_id, intent_template_id, capability_id, split, sites, writes, config)
       SELECT $1, t.task_id, t.intent_template_id, t.capability_id, t.split, t.sites, t.writes, t.config
       FROM jsonb_to_recordset($2::jsonb) AS t(task_id int, intent_template_id int, capability_id text, split text, sites text[], writes boolean, config jsonb)
       ON CONFLICT (suite_id, task_id) DO NOTHING`,
      [suite.id, JSON.stringify(chunk.map((task) => ({
        task_id: task.taskId, intent_template_id: task.intentTemplateId, capability_id: task.capabilityId,
        split: task.split, sites: task.sites, writes: task.writes, config: task.config,
      })))],
    );
  }
}

/** Tasks of a suite, optionally one split, in task id order. */
export async function listTasks(db: Queryable, suiteId: string, split?: 'train' | 'eval'): Promise<StoredTask[]> {
  const result = split
    ? await db.query(`SELECT * FROM tasks WHERE suite_id = $1 AND split IN ($2, 'all') ORDER BY task_id`, [suiteId, split])
    : await db.query('SELECT * FROM tasks WHERE suite_id = $1 ORDER BY task_id', [suiteId]);
  return result.rows.map(toStoredTask);
}

/** One task; throws naming the suite and task when it is missing. */
export async function getTask(db: Queryable, suiteId: string, taskId: number): Promise<StoredTask> {
  const result = await db.query('SELECT * FROM tasks WHERE suite_id = $1 AND task_id = $2', [suiteId, taskId]);
  if (!result.rows[0]) throw new Error(`task ${taskId} is not in suite ${suiteId}`);
  return toStoredTask(result.rows[0]);
}

/** A string field of a stored task's WebArena config (`intent`, `intent_template`), or '' when absent. */
export function taskConfigText(task: StoredTask, field: 'intent' | 'intent_template'): string {
  const value = (task.config as Record<string, unknown> | null)?.[field];
  return typeof value === 'string' ? value : '';
}
