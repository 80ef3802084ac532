import type { BlockedRequest } from '../browser/egress-policy';
import type { PageIncident } from '../browser/page-incidents';
import { EnvironmentError } from '../browser/environment-error';
import { openEpisodeEnvironment, siteUrlsByPlaceholder } from '../browser/open-episode-environment';
import type { SiteEndpoint } from '../browser/site-login';
import type { WorkerBrowser } from '../browser/worker-browser';
import type { EpisodeOutcome, StepRecord } from '../domain/trajectory';
import { EVALUATOR_VERSIONS, EvaluationError, evaluateTask, type EvaluationMode, type FuncHelper, type Judge } from '../evaluators/index';
import type { ObservationMode } from '../observation/format-accessibility-tree';
import type { ElementIdSource } from '../observation/read-accessibility-tree';
import type { TaskConfig } from '../tasks/task-config';
import type { PromptExample } from './prompt-example';
import { runAgentEpisode, type AgentModel, type AgentOutcome } from './run-agent-episode';

/** One whole episode: the task, where its sites are, the model, and how to evaluate. */
export interface RunEpisodeInput {
  task: TaskConfig;
  /** The worker's browser (kept open across episodes). */
  browser: WorkerBrowser;
  /** Site name -> base URL and login (e.g. RunningSites.sites of the built-in sites). */
  sites: Record<string, SiteEndpoint>;
  model: AgentModel;
  examples?: PromptExample[];
  maxSteps?: number;
  onStep: (step: StepRecord) => Promise<void>;
  /** Where to write the episode's Playwright trace. */
  tracePath?: string;
  judge?: Judge;
  funcHelpers?: Record<string, FuncHelper>;
  evaluationMode?: EvaluationMode;
  observationMode?: ObservationMode;
  elementIds?: ElementIdSource;
  storageStateRoot?: string;
  onBlockedRequest?: (request: BlockedRequest) => void;
  onPageIncident?: (incident: PageIncident) => void;
  signal?: AbortSignal;
}

function unscored(outcome: AgentOutcome, details: EpisodeOutcome['evaluatorDetails']): EpisodeOutcome {
  return { ...outcome, score: null, evaluatorVersion: null, evaluatorDetails: details };
}

function environmentFailure(message: string): AgentOutcome {
  return {
    answer: null,
    finalResponse: null,
    finalUrl: null,
    earlyStopReason: null,
    environmentError: message,
    length: 0,
    invalidActionCount: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/**
 * Opens the task's environment, runs the agent, evaluates the answer on the active tab, closes the
 * context (writing the trace) and returns the full outcome. Environment failures end up in
 * outcome.environmentError (unscored); model and judge call failures throw.
 */
export async function runEpisode(input: RunEpisodeInput): Promise<EpisodeOutcome> {
  let environment;
  try {
    environment = await openEpisodeEnvironment({
      browser: input.browser,
      task: input.task,
      sites: input.sites,
      tracePath: input.tracePath,
      storageStateRoot: input.storageStateRoot,
      observationMode: input.observationMode,
      elementIds: input.elementIds,
      onBlockedRequest: input.onBlockedRequest,
      onPageIncident: input.onPageIncident,
      signal: input.signal,
    });
  } catch (error) {
    if (error instanceof EnvironmentError) return unscored(environmentFailure(error.message), []);
    throw error;
  }
  try {
    const { outcome, finalPage } = await runAgentEpisode({
      task: input.task,
      environment,
      model: input.model,
      examples: input.examples,
      maxSteps: input.maxSteps,
      onStep: input.onStep,
      signal: input.signal,
    });
    if (outcome.environmentError !== null || outcome.answer === null || finalPage.isClosed()) return unscored(outcome, []);
    const mode = input.evaluationMode ?? 'webarena';
    try {
      const evaluation = await evaluateTask({
        task: input.task,
        answer: outcome.answer,
        page: finalPage,
        judge: input.judge,
        funcHelpers: input.funcHelpers,
        siteUrls: siteUrlsByPlaceholder(input.sites),
        mode,
      });
      return { ...outcome, score: evaluation.score, evaluatorVersion: evaluation.evaluatorVersion, evaluatorDetails: evaluation.evaluators };
    } catch (error) {
      // An evaluator that cannot decide leaves the episode unscored; the reason is kept with it.
      if (!(error instanceof EvaluationError)) throw error;
      return { ...unscored(outcome, [{ type: error.evaluator, score: null, detail: error.message }]), evaluatorVersion: EVALUATOR_VERSIONS[mode] };
    }
  } finally {
    await environment.close();
  }
}
