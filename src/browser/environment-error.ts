/**
 * The browser or a site failed (a site that does not answer, a crashed page, a login that does not
 * work): the episode cannot continue, and its record is incomplete rather than a failed task.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  constructor(
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${detail}`, options);
  }
}

/** A browser wait ran past its deadline. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation}: no result within ${timeoutMs} ms`);
  }
}
