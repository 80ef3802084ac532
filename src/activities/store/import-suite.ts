import { isAbsolute, join } from 'node:path';
import type { RunSpec } from '../../config/run-spec';
import { PROJECT_ROOT } from '../../stack/toolchain';
import { upsertSuite, type StoredTask } from '../../storage/tasks';
import { loadTaskSuite } from '../../tasks/load-task-suite';
import type { ActivityDependencies } from '../dependencies';
import { contentHash } from '../../domain/content-hash';

/** Folder of Ratchet's own task suite. */
export const BUILTIN_SUITE_PATH = join(PROJECT_ROOT, 'src', 'suites', 'builtin');

/** The suite path a spec names, resolved against the project root. */
export function resolveSuitePath(path: string): string {
  if (path === 'builtin') return BUILTIN_SUITE_PATH;
  return isAbsolute(path) ? path : join(process.cwd(), path);
}

/**
 * Loads the run's suite and stores it once per content. Tasks are stored with their placeholders
 * (`__SHOPPING__`...) intact and resolved per episode, so a moved site does not change the suite.
 */
export async function importSuite(deps: ActivityDependencies, spec: Pick<RunSpec, 'suite'>): Promise<{ suiteId: string }> {
  const source = resolveSuitePath(spec.suite.path);
  const suite = await loadTaskSuite(source);
  const hash = contentHash({ tasks: suite.tasks, splits: suite.splits });
  const suiteId = `${suite.name}@${hash.slice(0, 12)}`;
  const trainTemplates = new Set(suite.splits?.train ?? []);
  const evalTemplates = new Set(suite.splits?.eval ?? []);
  const tasks: StoredTask[] = suite.tasks.map((task) => ({
    taskId: task.task_id,
    intentTemplateId: task.intent_template_id,
    capabilityId: `template-${task.intent_template_id}`,
    split: trainTemplates.has(task.intent_template_id) ? 'train' : evalTemplates.has(task.intent_template_id) ? 'eval' : 'all',
    sites: task.sites,
    writes: task.eval.eval_types.includes('program_html'),
    config: task,
  }));
  await upsertSuite(deps.db, { id: suiteId, name: suite.name, source, splits: suite.splits, contentHash: hash, tasks });
  return { suiteId };
}
