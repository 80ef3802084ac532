import { DeadlineExceededError } from './environment-error';

/**
 * Runs `run` until it settles, the deadline passes (DeadlineExceededError) or the signal aborts (its
 * reason is thrown). The work itself is not cancelled; callers also pass Playwright's own timeouts.
 */
export async function withDeadline<T>(operation: string, timeoutMs: number, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(operation, timeoutMs)), timeoutMs);
    onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error(`${operation}: aborted`));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run(), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
