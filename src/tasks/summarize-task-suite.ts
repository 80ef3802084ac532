import type { LoadedTaskSuite } from './load-task-suite';
import { isUnachievableTask, type TaskConfig } from './task-config';

/** What `ratchet tasks validate` reports about a valid suite. */
export interface TaskSuiteSummary {
  name: string;
  tasks: number;
  intentTemplateIds: number;
  /** Tasks per site (a multi-site task counts for each of its sites). */
  perSite: Record<string, number>;
  /** Tasks per evaluator type (a task with two evaluators counts for each). */
  perEvalType: Record<string, number>;
  unachievable: number;
  splits: { train: SplitSummary; eval: SplitSummary } | null;
}

export interface SplitSummary {
  intentTemplateIds: number;
  tasks: number;
}

function countBy(tasks: TaskConfig[], keys: (task: TaskConfig) => string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) for (const key of keys(task)) counts[key] = (counts[key] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function summarizeSplit(tasks: TaskConfig[], templateIds: number[]): SplitSummary {
  const ids = new Set(templateIds);
  return { intentTemplateIds: ids.size, tasks: tasks.filter((task) => ids.has(task.intent_template_id)).length };
}

/** Counts tasks, templates, sites, evaluator types, unachievable tasks and split sizes of a loaded suite. */
export function summarizeTaskSuite(suite: LoadedTaskSuite): TaskSuiteSummary {
  const { tasks } = suite;
  return {
    name: suite.name,
    tasks: tasks.length,
    intentTemplateIds: new Set(tasks.map((task) => task.intent_template_id)).size,
    perSite: countBy(tasks, (task) => [...new Set(task.sites)]),
    perEvalType: countBy(tasks, (task) => task.eval.eval_types),
    unachievable: tasks.filter(isUnachievableTask).length,
    splits: suite.splits ? { train: summarizeSplit(tasks, suite.splits.train), eval: summarizeSplit(tasks, suite.splits.eval) } : null,
  };
}
