// How an activity's failure reaches Temporal. A failed model call is classified once
// (src/llm/model-client.ts) and thrown as an ApplicationFailure that carries the classification, so
// Temporal retries what can succeed later, fails at once what cannot, and waits as long as the
// endpoint's Retry-After asked. A database that is not reachable (PostgreSQL restarting) is a
// transient fault too. Transient faults may spend an activity's whole retry budget; anything else
// (a bug, a broken page) is final after OTHER_FAILURE_ATTEMPTS.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { classifyModelError, isModelEndpointError, modelFailureType } from '../llm/model-client';
import { isDatabaseUnavailable } from '../storage/database-unavailable';

/**
 * A model-endpoint error as a Temporal failure: 400/401/403/404/422 non-retryable; 408/409/429/5xx,
 * timeouts, failed connections and unusable bodies retryable, with Retry-After as the next retry
 * delay. Failures already decided (ApplicationFailure) and errors that are not model-endpoint errors
 * are returned unchanged.
 */
export function toModelCallFailure(error: unknown, operation: string): unknown {
  if (error instanceof ApplicationFailure || !isModelEndpointError(error)) return error;
  const classified = classifyModelError(error, operation);
  return ApplicationFailure.create({
    message: classified.message,
    type: modelFailureType(classified),
    nonRetryable: !classified.retryable,
    nextRetryDelay: classified.retryAfterMs,
    cause: classified,
  });
}

/**
 * Attempts an activity gets for failures that are not transient faults (model endpoint or database).
 * Activities have a larger attempt budget (a model fault mid-episode restarts the whole episode; a
 * database restart takes seconds), which a bug or a broken browser should not use up.
 */
export const OTHER_FAILURE_ATTEMPTS = 3;

/** The failure type of an activity attempt that could not reach PostgreSQL. */
export const DATABASE_UNAVAILABLE = 'DatabaseUnavailable';

/** Failure types of transient faults: toModelCallFailure's (see modelFailureType) and the database's. */
const TRANSIENT_FAILURE_TYPES = new Set(['ModelCallError', 'ModelTimeout', 'ModelConnectionError', 'UnreadableModelResponse', DATABASE_UNAVAILABLE]);

function isTransientFault(failure: unknown): boolean {
  return failure instanceof ApplicationFailure && typeof failure.type === 'string' && (TRANSIENT_FAILURE_TYPES.has(failure.type) || /^HTTP\d{3}$/.test(failure.type));
}

/**
 * What an activity attempt should throw: a classified model failure, a retryable DatabaseUnavailable
 * failure when PostgreSQL (on `databasePort`) could not be reached, or any other error (a retryable
 * ApplicationFailure included, e.g. a trainer command that exited non-zero), made non-retryable once
 * this was attempt OTHER_FAILURE_ATTEMPTS.
 */
export function toActivityFailure(error: unknown, operation: string, attempt: number, databasePort?: number): unknown {
  if (!(error instanceof ApplicationFailure) && databasePort !== undefined && isDatabaseUnavailable(error, databasePort)) {
    const message = error instanceof Error ? error.message : String(error);
    return ApplicationFailure.create({ message: `${operation}: the database is not reachable: ${message}`, type: DATABASE_UNAVAILABLE, cause: error instanceof Error ? error : undefined });
  }
  const failure = toModelCallFailure(error, operation);
  if (isTransientFault(failure)) return failure;
  if (failure instanceof ApplicationFailure && failure.nonRetryable) return failure;
  if (attempt < OTHER_FAILURE_ATTEMPTS) return failure;
  const message = failure instanceof Error ? failure.message : String(failure);
  return ApplicationFailure.create({
    message: `${operation}: ${message} (attempt ${attempt}; failures other than model-endpoint faults get ${OTHER_FAILURE_ATTEMPTS} attempts)`,
    type: failure instanceof ApplicationFailure ? failure.type ?? 'Error' : failure instanceof Error ? failure.name : 'Error',
    nonRetryable: true,
    cause: failure instanceof Error ? failure : undefined,
  });
}

type ActivityFunction = (...args: never[]) => Promise<unknown>;

/**
 * The same activities, each passing what it throws through toActivityFailure (the activity's name as
 * the operation), so an activity's retry budget is spent on transient faults only. Activities named
 * in `except` are left as they are (a poller whose attempts count polls).
 */
export function withTransientFaultBudget<T extends Record<string, ActivityFunction>>(activities: T, options: { databasePort?: number; except?: Array<keyof T & string> } = {}): T {
  const wrapped: Record<string, ActivityFunction> = {};
  for (const [name, activity] of Object.entries(activities)) {
    if (options.except?.includes(name)) {
      wrapped[name] = activity;
      continue;
    }
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error, name, Context.current().info.attempt, options.databasePort);
      }
    };
  }
  return wrapped as T;
}
