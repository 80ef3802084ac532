import { LOCAL, type RunSpec } from '../config/run-spec';
import { resolveSuitePath } from '../activities/store/import-suite';
import { SITE_DEFINITIONS } from '../sites/index';
import { loadTaskSuite } from '../tasks/load-task-suite';
import type { TaskConfig } from '../tasks/task-config';
import { TaskFileError, type TaskProblem } from '../tasks/task-file-error';

const PLACEHOLDER = /__[A-Z0-9_]+?__/g;
/** Problems listed in full; the rest are counted (a suite for other sites can have hundreds). */
const LISTED_PROBLEMS = 20;

/** The placeholders a run can resolve: the spec's site map, or the built-in sites'. */
export function runSitePlaceholders(spec: Pick<RunSpec, 'sites'>): string[] {
  return spec.sites === LOCAL ? SITE_DEFINITIONS.map((site) => site.placeholder) : Object.keys(spec.sites);
}

/** `shopping_admin` -> `__SHOPPING_ADMIN__`. */
function placeholderOf(siteName: string): string {
  return `__${siteName.toUpperCase()}__`;
}

/** Where a task names a site or a site URL, as field path -> text. */
function siteReferences(task: TaskConfig): Array<[string, string]> {
  return [
    ['start_url', task.start_url],
    ['eval.reference_url', task.eval.reference_url ?? ''],
    ...task.eval.program_html.map((target, index): [string, string] => [`eval.program_html.${index}.url`, target.url]),
  ];
}

/**
 * Loads the suite a run spec names and checks, before anything starts, that the run can reach every
 * site its tasks use: each task's sites and each placeholder in its URLs must be in the spec's
 * `sites` (or be a built-in site when `sites` is `local`). Throws TaskFileError listing every problem.
 */
export async function checkRunSuite(spec: Pick<RunSpec, 'sites' | 'suite'>, specFile: string): Promise<void> {
  const source = resolveSuitePath(spec.suite.path);
  const suite = await loadTaskSuite(source).catch((error: unknown) => {
    if (error instanceof TaskFileError) throw new TaskFileError(`${source} (suite.path of ${specFile})`, error.problems);
    throw error;
  });
  const known = new Set(runSitePlaceholders(spec));
  const knownText = [...known].join(', ') || 'none';
  const problems: TaskProblem[] = [];
  for (const task of suite.tasks) {
    const missingSites = new Set(task.sites.map(placeholderOf).filter((placeholder) => !known.has(placeholder)));
    for (const site of task.sites) {
      if (missingSites.has(placeholderOf(site))) problems.push({ file: source, taskId: task.task_id, path: 'sites', message: `site "${site}" has no URL in ${specFile} (sites: ${knownText}); add ${placeholderOf(site)} or leave the task out` });
    }
    for (const [field, text] of siteReferences(task)) {
      for (const placeholder of new Set(text.match(PLACEHOLDER) ?? [])) {
        if (!known.has(placeholder) && !missingSites.has(placeholder)) problems.push({ file: source, taskId: task.task_id, path: field, message: `placeholder ${placeholder} is not one of the run's sites (${knownText})` });
      }
    }
  }
  if (problems.length > LISTED_PROBLEMS) {
    const more = problems.length - LISTED_PROBLEMS;
    problems.splice(LISTED_PROBLEMS, more, { file: source, taskId: null, path: '', message: `and ${more} more problem${more === 1 ? '' : 's'} of the same kinds` });
  }
  if (problems.length > 0) throw new TaskFileError(`${source} (suite.path of ${specFile})`, problems);
}
