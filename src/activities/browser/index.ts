import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { episodeSeed } from '../../agent/episode-seed';
import { runEpisode } from '../../agent/run-episode';
import { describePageIncident, type PageIncident } from '../../browser/page-incidents';
import type { SiteEndpoint } from '../../browser/site-login';
import { LOCAL } from '../../config/run-spec';
import { createModelJudge, type Judge } from '../../evaluators';
import { builtinFuncHelpers } from '../../sites/func-helpers';
import { beginEpisode, completeEpisode, failEpisode, findFinishedEpisode, insertStep } from '../../storage/episodes';
import { getModel } from '../../storage/models';
import { getTask } from '../../storage/tasks';
import { taskConfigSchema } from '../../tasks/task-config';
import type { EpisodePurpose } from '../../workflows/definitions';
import type { ActivityDependencies } from '../dependencies';
import { toActivityFailure } from '../activity-failure';
import { databasePortOf } from '../../storage/database-unavailable';
import { clientFor, resolveBaseUrl, specEndpoint } from '../model-endpoints';
import { loadRunSpecOf } from '../store';
import { createAlwaysNaClient } from './always-na-client';

export interface RunEpisodeActivityInput {
  episodeId: string;
  runId: string | null;
  round: number | null;
  evaluationId: string | null;
  purpose: EpisodePurpose;
  suiteId: string;
  taskId: number;
  sample: number;
  modelId: string;
}

/** Blocked requests and page incidents logged one by one per episode; the rest are counted (a pop-up loop makes thousands). */
const LOGGED_PER_KIND = 5;

/** How often a running episode heartbeats besides after every step (the heartbeat timeout is 30 s). */
const HEARTBEAT_EVERY_MS = 5_000;

/** `__SHOPPING_ADMIN__` -> `shopping_admin`. */
function siteNameOf(placeholder: string): string {
  return placeholder.replace(/^__|__$/g, '').toLowerCase();
}

/** Rollout activities (browser queue). */
export function createBrowserActivities(deps: ActivityDependencies) {
  return {
    /**
     * Runs one task to the end in a real browser with the given model: every step is stored as it
     * happens (and heartbeats), the answer is evaluated, and the outcome stored. A retried attempt
     * starts the episode cleanly. Failing the task is a result; only infrastructure errors throw.
     */
    async runEpisode(input: RunEpisodeActivityInput): Promise<{ score: number | null; status: 'completed' }> {
      const finished = await findFinishedEpisode(deps.db, input.episodeId);
      if (finished) return { score: finished.score, status: 'completed' };
      const context = Context.current();
      // The openai client adds one abort listener per model call to this signal (up to 30 per episode).
      setMaxListeners(64, context.cancellationSignal);
      const spec = input.runId ? await loadRunSpecOf(deps, input.runId) : null;

      const stored = await getTask(deps.db, input.suiteId, input.taskId);
      const task = taskConfigSchema.parse(stored.config);
      const siteUrls = !spec || spec.sites === LOCAL ? deps.local.siteUrls : spec.sites;
      if (!siteUrls) throw ApplicationFailure.nonRetryable('the run uses the built-in sites but this worker has none: run it in the local stack or set RATCHET_SITE_URLS', 'NoSites');
      const sites: Record<string, SiteEndpoint> = Object.fromEntries(Object.entries(siteUrls).map(([placeholder, url]) => {
        const name = siteNameOf(placeholder);
        return [name, { url, login: deps.local.siteUrls === siteUrls ? deps.local.siteLogins?.[name] : undefined }];
      }));

      const model = await getModel(deps.db, input.modelId);
      const client = model.provider === 'always-na' ? createAlwaysNaClient() : clientFor(deps, model.endpoint);
      const judgeEndpoint = specEndpoint(spec?.judge ?? LOCAL);
      const judge: Judge = createModelJudge({ baseUrl: resolveBaseUrl(deps, judgeEndpoint.endpoint), model: judgeEndpoint.model, apiKeyEnv: judgeEndpoint.endpoint.apiKeyEnv, timeoutMs: judgeEndpoint.endpoint.timeoutMs });
      const temperature = input.purpose === 'train' ? spec?.rollout.temperature ?? 0 : 0;

      await beginEpisode(deps.db, { ...input, id: input.episodeId }, context.info.attempt);
      // A writing task starts from the seed state too: an attempt killed mid-episode (a SIGKILLed
      // worker never reaches the reset below) would otherwise leave its writes for the retry to see.
      if (stored.writes && deps.local.siteUrls === siteUrls) await resetBuiltinSites(siteUrls, stored.sites);
      const tracePath = join(deps.artifactsDir, 'traces', `${input.episodeId.replace(/[^A-Za-z0-9._-]+/g, '_')}.zip`);
      let blockedRequests = 0;
      const pageIncidents: Partial<Record<PageIncident['kind'], number>> = {};
      let lastStep = -1;
      // Heartbeat on a timer too, so a slow model call (a real LLM) never looks like a dead worker.
      const beat = setInterval(() => context.heartbeat({ step: lastStep }), HEARTBEAT_EVERY_MS);
      try {
        const outcome = await runEpisode({
          task,
          browser: deps.browser,
          sites,
          model: { client, model: model.provider_model, temperature, seed: episodeSeed(input.episodeId, spec && input.runId ? { runId: input.runId, seed: spec.seed } : undefined) },
          maxSteps: spec?.rollout.maxSteps ?? 30,
          elementIds: spec?.rollout.elementIds ?? 'tree-position',
          onStep: async (step) => {
            await insertStep(deps.db, input.episodeId, step);
            lastStep = step.index;
            context.heartbeat({ step: step.index });
          },
          tracePath,
          judge,
          funcHelpers: builtinFuncHelpers,
          onBlockedRequest: (request) => {
            blockedRequests += 1;
            if (blockedRequests <= LOGGED_PER_KIND) context.log.warn('blocked a request outside the task\'s sites', { episodeId: input.episodeId, url: request.url });
          },
          onPageIncident: (incident) => {
            const seen = (pageIncidents[incident.kind] ?? 0) + 1;
            pageIncidents[incident.kind] = seen;
            if (seen <= LOGGED_PER_KIND) context.log.warn('contained a page incident', { episodeId: input.episodeId, incident: describePageIncident(incident) });
          },
          signal: context.cancellationSignal,
        });
        await completeEpisode(deps.db, input.episodeId, outcome, tracePath);
        context.log.info('episode finished', { episodeId: input.episodeId, score: outcome.score, length: outcome.length, blockedRequests, pageIncidents });
        return { score: outcome.score, status: 'completed' };
      } catch (error) {
        await failEpisode(deps.db, input.episodeId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
        throw toActivityFailure(error, `episode ${input.episodeId}`, context.info.attempt, databasePortOf(deps.db));
      } finally {
        clearInterval(beat);
        if (stored.writes && deps.local.siteUrls === siteUrls) await resetBuiltinSites(siteUrls, stored.sites);
      }
    },
  };
}

/** Restores the seed state of the built-in sites a writing task used (their `/__reset` endpoint). */
async function resetBuiltinSites(siteUrls: Record<string, string>, siteNames: string[]): Promise<void> {
  for (const name of siteNames) {
    const url = siteUrls[`__${name.toUpperCase()}__`];
    if (!url) continue;
    const response = await fetch(new URL('/__reset', url), { method: 'POST', signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`resetting ${name} at ${url} failed with HTTP ${response.status}`);
  }
}

export type BrowserActivities = ReturnType<typeof createBrowserActivities>;
