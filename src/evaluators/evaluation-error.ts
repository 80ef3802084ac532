/** An evaluator could not produce a score (missing judge, failed navigation, unknown helper...): the task has no score. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(readonly evaluator: string, readonly taskId: number, message: string, options?: { cause?: unknown }) {
    super(`evaluating task ${taskId} with ${evaluator}: ${message}`, options);
  }
}
