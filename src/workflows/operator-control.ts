// Runs workflow steps so that a step whose retries are exhausted never fails the workflow: the
// error is recorded, the status shows `waiting for operator: <step>: <error>`, and the workflow
// waits for the operator's retryStep / skipStep / abort signal (from the Temporal UI or the CLI).
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  abortSignal,
  retryStepSignal,
  SEARCH_ATTRIBUTES,
  skipStepSignal,
  statusQuery,
  type StepStatus,
  type StepView,
  type WorkflowStatusView,
} from './definitions';

type OperatorDecision = { kind: 'retry' } | { kind: 'skip'; note: string } | { kind: 'abort'; reason: string };

/** Marker returned by runStep when the operator skipped the step. */
export const SKIPPED = Symbol('skipped');

/** Records a step state outside the workflow (in PostgreSQL); supplied by the caller as an activity. */
export type StepRecorder = (update: { step: string; status: StepStatus; attempts: number; error?: string; summary?: unknown }) => Promise<void>;

/** The error text of whatever a step threw, down to the root cause (activity and child failures wrap it). */
export function describeFailure(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 8 && current instanceof Error && current.cause; depth += 1) {
    current = current.cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  // A cancellation often carries no message of its own: say what happened.
  if (current instanceof CancelledFailure && !/cancel/i.test(message)) message = `${message}: cancelled`;
  return message.length > 500 ? `${message.slice(0, 497)}...` : message;
}

/** Operator control for one workflow: its steps, their states, and the signal handlers. */
export class OperatorControl {
  private readonly steps: StepView[] = [];
  private pending: OperatorDecision | undefined;
  private waitingFor: string | undefined;
  private state = 'starting';
  activeChildWorkflowId: string | undefined;
  championModelId: string | undefined;

  constructor(
    private readonly runId: string,
    private readonly round: number,
    private readonly record: StepRecorder,
  ) {
    setHandler(retryStepSignal, (request) => this.decide(request?.step, { kind: 'retry' }));
    setHandler(skipStepSignal, (request) => this.decide(request?.step, { kind: 'skip', note: request?.note ?? 'skipped by operator' }));
    setHandler(abortSignal, (request) => {
      this.pending = { kind: 'abort', reason: request?.reason ?? 'aborted by operator' };
    });
    setHandler(statusQuery, (): WorkflowStatusView => ({
      runId: this.runId,
      round: this.round,
      state: this.state,
      steps: this.steps.map((step) => ({ ...step })),
      activeChildWorkflowId: this.activeChildWorkflowId,
      championModelId: this.championModelId,
    }));
  }

  private decide(step: string | undefined, decision: OperatorDecision): void {
    // A decision names the waiting step or none; one for another step is ignored.
    if (this.waitingFor !== undefined && (step === undefined || step === this.waitingFor)) this.pending = decision;
  }

  private view(step: string): StepView {
    let found = this.steps.find((candidate) => candidate.step === step);
    if (!found) {
      found = { step, status: 'pending', attempts: 0 };
      this.steps.push(found);
    }
    return found;
  }

  private setState(state: string): void {
    this.state = state;
    upsertMemo({ status: state });
  }

  /** Marks the whole workflow's end state in its status and memo. */
  finish(state: string): void {
    this.setState(state);
  }

  /** Throws if the operator asked to abort. */
  checkAbort(): void {
    if (this.pending?.kind === 'abort') throw ApplicationFailure.nonRetryable(this.pending.reason, 'AbortedByOperator');
  }

  /**
   * Runs `body` as the named step. Failures (after the activity's own retries) wait for an operator;
   * `retry` runs the body again, `skip` returns SKIPPED, `abort` fails the workflow.
   */
  async runStep<T>(step: string, body: () => Promise<T>, summarize: (result: T) => unknown = () => undefined): Promise<T | typeof SKIPPED> {
    const view = this.view(step);
    for (;;) {
      this.checkAbort();
      view.attempts += 1;
      view.status = 'running';
      delete view.error;
      this.setState(`running: ${step}`);
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.step, value: step }]);
      await this.record({ step, status: 'running', attempts: view.attempts });
      try {
        const result = await body();
        view.status = 'completed';
        await this.record({ step, status: 'completed', attempts: view.attempts, summary: summarize(result) });
        return result;
      } catch (error) {
        // This workflow being cancelled ends it; a child workflow cancelled on its own (a round
        // cancelled in the UI) is a step that did not finish, and the operator decides what follows.
        if (isCancellation(error) && CancellationScope.current().consideredCancelled) throw error;
        const message = describeFailure(error);
        if (error instanceof ApplicationFailure && error.type === 'AbortedByOperator') throw error;
        view.status = 'waiting_for_operator';
        view.error = message;
        this.waitingFor = step;
        if (this.pending?.kind !== 'abort') this.pending = undefined;
        this.setState(`waiting for operator: ${step}: ${message}`);
        await this.record({ step, status: 'waiting_for_operator', attempts: view.attempts, error: message });
        await condition(() => this.pending !== undefined);
        const decision = this.pending as OperatorDecision | undefined;
        this.pending = undefined;
        this.waitingFor = undefined;
        if (decision?.kind === 'skip') {
          view.status = 'skipped';
          await this.record({ step, status: 'skipped', attempts: view.attempts, error: message, summary: { note: decision.note } });
          return SKIPPED;
        }
        if (decision?.kind === 'abort') {
          view.status = 'aborted';
          await this.record({ step, status: 'aborted', attempts: view.attempts, error: message });
          throw ApplicationFailure.nonRetryable(decision.reason, 'AbortedByOperator');
        }
      }
    }
  }
}
