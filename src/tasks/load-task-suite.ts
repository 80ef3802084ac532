import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { describeJsonSyntaxError } from '../domain/json-syntax-error';
import { replacePlaceholdersDeep } from './placeholders';
import { taskConfigSchema, type TaskConfig } from './task-config';
import { TaskFileError, type TaskProblem } from './task-file-error';

/** A validated suite: its tasks and, when the suite declares one, its train/eval split by intent_template_id. */
export interface LoadedTaskSuite {
  name: string;
  tasks: TaskConfig[];
  splits: { train: number[]; eval: number[] } | null;
}

export interface LoadTaskSuiteOptions {
  /** Placeholder -> value (e.g. `__SHOPPING__` -> `http://127.0.0.1:7770`), replaced as plain text after validation. */
  placeholders?: Record<string, string>;
}

/** A suite folder's manifest: its name, version and split by intent_template_id. */
export const suiteManifestSchema = z.strictObject({
  name: z.string().min(1),
  version: z.union([z.string().min(1), z.number()]),
  splits: z.strictObject({
    train: z.array(z.number().int().nonnegative()),
    eval: z.array(z.number().int().nonnegative()),
  }),
});
export type SuiteManifest = z.infer<typeof suiteManifestSchema>;

export const SUITE_MANIFEST_FILE = 'suite.json';
export const SUITE_TASKS_FILE = 'tasks.json';

interface RawTask {
  file: string;
  value: unknown;
}

/**
 * Loads and validates a task suite from a WebArena array file, a single-task file, a folder of
 * per-task files, or a suite folder (suite.json + tasks.json). Throws TaskFileError listing every problem.
 */
export async function loadTaskSuite(path: string, options: LoadTaskSuiteOptions = {}): Promise<LoadedTaskSuite> {
  const problems: TaskProblem[] = [];
  const kind = await stat(path).catch((error: unknown) => {
    throw new TaskFileError(path, [{ file: path, taskId: null, path: '', message: `cannot read: ${errorMessage(error)}` }]);
  });

  let name = basename(path, extname(path));
  let manifest: SuiteManifest | null = null;
  let rawTasks: RawTask[];
  if (kind.isDirectory()) {
    const entries = await readdir(path);
    if (entries.includes(SUITE_MANIFEST_FILE)) {
      const manifestFile = join(path, SUITE_MANIFEST_FILE);
      manifest = parseManifest(manifestFile, await readJson(manifestFile, problems), problems);
      if (manifest) name = manifest.name;
      rawTasks = tasksOfArrayFile(join(path, SUITE_TASKS_FILE), await readJson(join(path, SUITE_TASKS_FILE), problems), problems);
    } else {
      const files = entries.filter((entry) => entry.endsWith('.json')).sort(byNumericName);
      if (files.length === 0) problems.push({ file: path, taskId: null, path: '', message: 'folder holds no .json task files' });
      rawTasks = [];
      for (const file of files) {
        const full = join(path, file);
        const value = await readJson(full, problems);
        if (value === undefined) continue;
        if (Array.isArray(value)) rawTasks.push(...tasksOfArrayFile(full, value, problems));
        else rawTasks.push({ file: full, value });
      }
    }
  } else {
    const value = await readJson(path, problems);
    rawTasks = value === undefined ? [] : Array.isArray(value) ? tasksOfArrayFile(path, value, problems) : [{ file: path, value }];
  }

  const tasks = validateTasks(rawTasks, problems);
  const splits = manifest ? manifest.splits : null;
  if (manifest) checkSplits(join(path, SUITE_MANIFEST_FILE), manifest, tasks, problems);
  if (problems.length > 0) throw new TaskFileError(path, problems);
  const placeholders = options.placeholders ?? {};
  return { name, tasks: tasks.map((task) => replacePlaceholdersDeep(task, placeholders)), splits };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function byNumericName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

async function readJson(file: string, problems: TaskProblem[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    problems.push({ file, taskId: null, path: '', message: `cannot read: ${errorMessage(error)}` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push({ file, taskId: null, path: '', message: describeJsonSyntaxError(text, error) });
    return undefined;
  }
}

function tasksOfArrayFile(file: string, value: unknown, problems: TaskProblem[]): RawTask[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ file, taskId: null, path: '', message: 'expected a JSON array of task configs' });
    return [];
  }
  return value.map((item: unknown) => ({ file, value: item }));
}

function parseManifest(file: string, value: unknown, problems: TaskProblem[]): SuiteManifest | null {
  if (value === undefined) return null;
  const parsed = suiteManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push({ file, taskId: null, path: issue.path.join('.'), message: issue.message });
  return null;
}

/** Best-effort task id of an invalid task, so its problems can still name it. */
function rawTaskId(value: unknown): number | null {
  if (value !== null && typeof value === 'object' && 'task_id' in value) {
    const id = value.task_id;
    if (typeof id === 'number' && Number.isInteger(id)) return id;
  }
  return null;
}

function validateTasks(rawTasks: RawTask[], problems: TaskProblem[]): TaskConfig[] {
  const tasks: TaskConfig[] = [];
  const firstFileOfId = new Map<number, string>();
  rawTasks.forEach((raw, index) => {
    const taskId = rawTaskId(raw.value);
    const parsed = taskConfigSchema.safeParse(raw.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        // Without a task id, the position in the file is the only way to find the task.
        const where = taskId === null ? `[${index}]${path === '' ? '' : `.${path}`}` : path;
        problems.push({ file: raw.file, taskId, path: where, message: issue.message });
      }
    } else {
      tasks.push(parsed.data);
    }
    if (taskId !== null) {
      const earlier = firstFileOfId.get(taskId);
      if (earlier !== undefined) problems.push({ file: raw.file, taskId, path: 'task_id', message: `duplicate task_id (first seen in ${earlier})` });
      else firstFileOfId.set(taskId, raw.file);
    }
  });
  return tasks;
}

function checkSplits(file: string, manifest: SuiteManifest, tasks: TaskConfig[], problems: TaskProblem[]): void {
  const templateIds = new Set(tasks.map((task) => task.intent_template_id));
  const train = new Set(manifest.splits.train);
  for (const [pool, ids] of Object.entries(manifest.splits)) {
    for (const id of ids) {
      if (!templateIds.has(id)) problems.push({ file, taskId: null, path: `splits.${pool}`, message: `intent_template_id ${id} has no task in the suite` });
      if (pool === 'eval' && train.has(id)) problems.push({ file, taskId: null, path: 'splits.eval', message: `intent_template_id ${id} is in both train and eval` });
    }
  }
}
