import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../../src/browser/environment-error';
import { withDeadline } from '../../src/browser/with-deadline';

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('returns the result of work that finishes in time', async () => {
    await expect(withDeadline('quick work', 1_000, undefined, () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('rejects with DeadlineExceededError naming the operation when the deadline passes', async () => {
    const attempt = withDeadline('open http://slow.test', 20, undefined, never);
    await expect(attempt).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(attempt).rejects.toThrow('open http://slow.test: no result within 20 ms');
  });

  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const attempt = withDeadline('long work', 10_000, controller.signal, never);
    controller.abort(new Error('worker shutting down'));
    await expect(attempt).rejects.toThrow('worker shutting down');
  });

  it('does not start work when the signal is already aborted', async () => {
    let started = false;
    const attempt = withDeadline('work', 1_000, AbortSignal.abort(new Error('cancelled')), () => {
      started = true;
      return Promise.resolve(1);
    });
    await expect(attempt).rejects.toThrow('cancelled');
    expect(started).toBe(false);
  });
});
