/** One problem found in a task file: which file, which task (when known), which field, what is wrong. */
export interface TaskProblem {
  file: string;
  /** null when the problem is not inside one task (unreadable file, bad suite.json). */
  taskId: number | null;
  /** Dotted field path inside the task (or file), "" for the whole thing. */
  path: string;
  message: string;
}

/** `<file> task <task_id> <field.path>: <message>` (the task part only when known). */
export function formatTaskProblem(problem: TaskProblem): string {
  const task = problem.taskId === null ? '' : ` task ${problem.taskId}`;
  const field = problem.path === '' ? '' : ` ${problem.path}`;
  return `${problem.file}${task}${field}: ${problem.message}`;
}

/** A task file or suite that failed validation; `problems` holds every problem found, not just the first. */
export class TaskFileError extends Error {
  override readonly name = 'TaskFileError';
  constructor(readonly source: string, readonly problems: TaskProblem[]) {
    super(`invalid task suite ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map(formatTaskProblem).join('\n')}`);
  }
}
