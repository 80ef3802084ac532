import type OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { describeAction, describeFailedAction, describeMissingElement, describeUnparsableAction } from '../actions/describe-action';
import { parseAction } from '../actions/parse-action';
import { isElementAction, type ParsedAction } from '../actions/parsed-action';
import type { EpisodeEnvironment } from '../browser/episode-environment';
import { EnvironmentError } from '../browser/environment-error';
import { executeAction } from '../browser/execute-action';
import type { EarlyStopReason, EpisodeOutcome, StepRecord } from '../domain/trajectory';
import type { TaskConfig } from '../tasks/task-config';
import { checkEarlyStop, DEFAULT_MAX_STEPS } from './early-stop';
import { buildAgentMessages } from './prompt';
import type { PromptExample } from './prompt-example';

/** WebArena's completion budget per step. */
export const DEFAULT_MAX_COMPLETION_TOKENS = 384;

/** How the agent's model is called: the client (retries off) and the sampling parameters. */
export interface AgentModel {
  client: OpenAI;
  model: string;
  temperature: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
}

/** How an episode ended before evaluation. */
export type AgentOutcome = Omit<EpisodeOutcome, 'score' | 'evaluatorVersion' | 'evaluatorDetails'>;

/** Everything one agent episode needs: the task, an opened environment, the model, and a step sink. */
export interface RunAgentEpisodeInput {
  task: TaskConfig;
  environment: EpisodeEnvironment;
  model: AgentModel;
  examples?: PromptExample[];
  maxSteps?: number;
  /** Awaited after every step (the caller stores it and heartbeats). */
  onStep: (step: StepRecord) => Promise<void>;
  signal?: AbortSignal;
}

async function callModel(model: AgentModel, messages: StepRecord['promptMessages'], signal: AbortSignal | undefined) {
  const completion = await model.client.chat.completions.create(
    {
      model: model.model,
      messages,
      temperature: model.temperature,
      ...(model.topP === undefined ? {} : { top_p: model.topP }),
      max_tokens: model.maxTokens ?? DEFAULT_MAX_COMPLETION_TOKENS,
      ...(model.seed === undefined ? {} : { seed: model.seed }),
    },
    { signal },
  );
  return {
    response: completion.choices[0]?.message.content ?? '',
    promptTokens: completion.usage?.prompt_tokens ?? 0,
    completionTokens: completion.usage?.completion_tokens ?? 0,
  };
}

/**
 * Runs the agent loop on an opened environment: observe, ask the model, parse, act, until the model
 * stops, an early-stop rule fires, or the environment fails (outcome.environmentError). A failing
 * model call throws (the caller classifies and retries); a failed task is a normal outcome.
 */
export async function runAgentEpisode(input: RunAgentEpisodeInput): Promise<{ outcome: AgentOutcome; finalPage: Page }> {
  const { task, environment, model, signal } = input;
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  const actions: Array<ParsedAction | null> = [];
  let previousAction = 'None';
  let answer: string | null = null;
  let finalResponse: string | null = null;
  let earlyStopReason: EarlyStopReason | null = null;
  let environmentError: string | null = null;
  let invalidActionCount = 0;
  let promptTokens = 0;
  let completionTokens = 0;

  for (;;) {
    signal?.throwIfAborted();
    const early = checkEarlyStop(actions, maxSteps);
    if (early) {
      answer = early.answer;
      earlyStopReason = early.reason;
      break;
    }
    const observedAt = performance.now();
    let observation;
    try {
      observation = await environment.observe();
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      environmentError = error.message;
      break;
    }
    const observationMs = performance.now() - observedAt;
    const promptMessages = buildAgentMessages({ observation: observation.text, url: observation.url, objective: task.intent, previousAction, examples: input.examples });
    const calledAt = performance.now();
    const reply = await callModel(model, promptMessages, signal);
    const modelMs = performance.now() - calledAt;
    promptTokens += reply.promptTokens;
    completionTokens += reply.completionTokens;
    finalResponse = reply.response;

    const step: Omit<StepRecord, 'action' | 'actionText' | 'actionDescription' | 'valid' | 'invalidKind' | 'error' | 'timings'> = {
      index: actions.length,
      url: observation.url,
      observation: observation.text,
      objective: task.intent,
      previousAction,
      promptMessages,
      response: reply.response,
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
    };
    const parsed = parseAction(reply.response);
    if (!parsed.valid) {
      actions.push(null);
      invalidActionCount += 1;
      previousAction = describeUnparsableAction(reply.response);
      await input.onStep({ ...step, action: null, actionText: null, actionDescription: previousAction, valid: false, invalidKind: 'unparsable', error: parsed.error, timings: { modelMs, actionMs: 0, observationMs } });
      continue;
    }
    actions.push(parsed.action);
    const recorded = { ...step, action: { ...parsed.action }, actionText: parsed.text };
    if (parsed.action.name === 'stop') {
      answer = parsed.action.answer;
      await input.onStep({ ...recorded, actionDescription: describeAction(parsed.action), valid: true, invalidKind: null, error: null, timings: { modelMs, actionMs: 0, observationMs } });
      break;
    }

    const actedAt = performance.now();
    const execution = await executeAction(environment, parsed.action, observation, signal);
    let stepError: string | null = null;
    try {
      environment.assertHealthy(`after ${parsed.text}`);
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      environmentError = error.message;
      stepError = error.message;
    }
    const actionMs = performance.now() - actedAt;
    const timings = { modelMs, actionMs, observationMs };
    if (execution.status === 'missing_element') {
      invalidActionCount += 1;
      previousAction = describeMissingElement(parsed.action);
      await input.onStep({ ...recorded, actionDescription: previousAction, valid: false, invalidKind: 'missing_element', error: stepError ?? `no element [${isElementAction(parsed.action) ? parsed.action.id : '?'}] in the observation`, timings });
    } else if (execution.status === 'failed') {
      previousAction = describeFailedAction(parsed.action, execution.error, execution.element?.description);
      await input.onStep({ ...recorded, actionDescription: previousAction, valid: true, invalidKind: null, error: stepError ?? execution.error, timings });
    } else {
      previousAction = describeAction(parsed.action, execution.element?.description);
      await input.onStep({ ...recorded, actionDescription: previousAction, valid: true, invalidKind: null, error: stepError, timings });
    }
    if (environmentError) break;
  }

  const finalPage = environment.activePage;
  return {
    outcome: {
      answer: environmentError ? null : answer,
      finalResponse,
      finalUrl: finalPage.isClosed() ? null : finalPage.url(),
      earlyStopReason,
      environmentError,
      length: actions.length,
      invalidActionCount,
      promptTokens,
      completionTokens,
    },
    finalPage,
  };
}
