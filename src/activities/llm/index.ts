import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { DEFAULT_PROMPT_EXAMPLES } from '../../agent/prompt-example';
import { listKeptEpisodes } from '../../storage/critiques';
import { listSteps } from '../../storage/episodes';
import { getModel } from '../../storage/models';
import { listSyntheticExamples, upsertSyntheticExample } from '../../storage/synthetic-examples';
import { listTasks, taskConfigText } from '../../storage/tasks';
import { toModelCallFailure } from '../activity-failure';
import type { ActivityDependencies } from '../dependencies';
import { clientFor, specEndpoint } from '../model-endpoints';
import { loadRunSpecOf } from '../store';
import { importSuite } from '../store/import-suite';
import { groundOodAction } from '../../grounded-ood/ground-ood-action';
import { startGroundedPageServer, type GroundedPageServer } from '../../grounded-ood/grounded-page-server';
import { synthesizeOodExample } from './ood-synthesis';

const progressSchema = z.object({ nextIndex: z.number().int().nonnegative() });

/** Model calls that are not part of an episode (llm queue). */
export function createLlmActivities(deps: ActivityDependencies) {
  return {
    /**
     * Generates the round's out-of-domain examples with the current model at temperature 1 and stores
     * each with its provenance. With `ood.grounded`, each example's page is rendered as HTML, served on
     * loopback, and its action performed in a browser that reaches nothing else; examples whose action
     * does not resolve are dropped and counted, the rest stored as 'grounded_ood'. Resumes after a crash
     * from the heartbeat and the rows already stored.
     */
    async generateOodExamples({ runId, round, modelId }: { runId: string; round: number; modelId: string }): Promise<{ created: number; rejected: number; reasons: string[]; dropped: number; dropReasons: string[] }> {
      const spec = await loadRunSpecOf(deps, runId);
      if (!spec.ood.enabled) return { created: 0, rejected: 0, reasons: [], dropped: 0, dropReasons: [] };
      const { suiteId } = await importSuite(deps, spec);
      const pool = await listTasks(deps.db, suiteId, spec.suite.transductive ? 'eval' : 'train');
      const target = spec.ood.count > 0 ? spec.ood.count : Math.min(pool.length, spec.suite.taskLimit ?? pool.length);

      const current = await getModel(deps.db, modelId);
      const generator = spec.generator ? specEndpoint(spec.generator) : { endpoint: current.endpoint, model: current.provider_model };
      const embeddings = specEndpoint(spec.embeddings);
      const model = {
        client: clientFor(deps, generator.endpoint),
        model: generator.model,
        embeddings: { client: clientFor(deps, embeddings.endpoint), model: embeddings.model },
      };

      // Few-shot examples: steps of trajectories kept in earlier rounds, else the agent prompt's own examples.
      const fewShot: Array<{ previousAction: string; response: string }> = [];
      for (const kept of (await listKeptEpisodes(deps.db, runId, round - 1)).slice(0, 8)) {
        for (const step of (await listSteps(deps.db, kept.episodeId)).slice(0, 2)) fewShot.push({ previousAction: step.previousAction, response: step.response });
      }
      if (fewShot.length < 2) fewShot.push(...DEFAULT_PROMPT_EXAMPLES.map((example) => ({ previousAction: example.previousAction, response: example.response })));

      const stored = await listSyntheticExamples(deps.db, runId, { upToRound: round });
      const earlier = stored.map((row) => ({ objective: typeof row.provenance.objective === 'string' ? row.provenance.objective : '', embedding: z.array(z.number()).catch([]).parse(row.provenance.embedding) }));
      const thisRound = new Set(stored.filter((row) => row.round === round).map((row) => row.id));
      const heartbeat = progressSchema.safeParse(Context.current().info.heartbeatDetails);
      let index = heartbeat.success ? heartbeat.data.nextIndex : 0;
      let created = thisRound.size;
      let rejected = 0;
      const reasons: string[] = [];
      let dropped = 0;
      const dropReasons: string[] = [];
      const maxCandidates = target * 3;
      const pageServer: GroundedPageServer | null = spec.ood.grounded ? await startGroundedPageServer() : null;
      try {
        while (created < target && index < maxCandidates) {
          const id = `${runId}/round-${round}/ood/${index}`;
          if (!thisRound.has(id)) {
            const seed = spec.seed * 1_000_003 + round * 10_007 + index;
            let outcome;
            try {
              outcome = await synthesizeOodExample({
                model, seed, maxAttemptsPerCall: spec.ood.maxAttemptsPerCall, fewShot,
                inDomainObjectives: pool.map((task) => taskConfigText(task, 'intent')).filter(Boolean),
                earlierSyntheticObjectives: earlier,
                avoidWebsites: ['shopping', 'reddit', 'gitlab', 'the built-in shop', 'the built-in forum'],
              });
            } catch (error) {
              throw toModelCallFailure(error, `OOD synthesis for ${id}`);
            }
            if (outcome.ok) {
              const { example, embedding } = outcome;
              const provenance = { model: generator.model, seed, round, objective: example.objective, website: example.website, url: example.url, stepIndex: example.stepIndex, embedding, calls: example.calls };
              // A near-duplicate check counts every generated objective, grounded or dropped.
              earlier.push({ objective: example.objective, embedding });
              if (pageServer) {
                const grounding = await groundOodAction({ browser: await deps.browser.browser(), server: pageServer, observation: example.observation, response: example.response });
                if (grounding.grounded) {
                  await upsertSyntheticExample(deps.db, {
                    id, runId, round, kind: 'grounded_ood', messages: example.messages, response: example.response,
                    provenance: { ...provenance, verified: true, groundedAction: grounding.action, check: grounding.check, element: grounding.element, blockedRequests: grounding.blockedRequests.length },
                  });
                  created += 1;
                } else {
                  dropped += 1;
                  if (dropReasons.length < 20) dropReasons.push(`${id}: ${grounding.reason}`);
                }
              } else {
                await upsertSyntheticExample(deps.db, { id, runId, round, kind: 'ood', messages: example.messages, response: example.response, provenance });
                created += 1;
              }
            } else {
              rejected += 1;
              if (reasons.length < 20) reasons.push(outcome.reason);
            }
          }
          index += 1;
          Context.current().heartbeat({ nextIndex: index });
        }
      } finally {
        await pageServer?.close();
      }
      return { created, rejected, reasons, dropped, dropReasons };
    },
  };
}

export type LlmActivities = ReturnType<typeof createLlmActivities>;
