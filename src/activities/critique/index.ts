import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { critiqueTrajectory, measureFilterQuality, type FilterQuality, type TrajectoryJudge } from '../../critique';
import type { Queryable } from '../../storage/database';
import { listEpisodes } from '../../storage/episodes';
import { getModel } from '../../storage/models';
import { listRoundCritiques, recordFilterQuality, upsertCritique } from '../../storage/critiques';
import type { ActivityDependencies } from '../dependencies';
import { loadTrajectory } from '../episode-trajectories';
import { toModelCallFailure } from '../activity-failure';
import { clientFor, specEndpoint } from '../model-endpoints';
import { loadRunSpecOf } from '../store';
import { createModelTrajectoryJudge } from './model-trajectory-judge';

/** What the critique step reports: the combined filter's quality and, with the LLM judge, the judge's alone. */
export interface CritiqueRoundSummary {
  episodes: number;
  kept: number;
  quality: FilterQuality;
  /** Precision / recall of the LLM judge's verdicts on their own; null when the judge is off. */
  judgeQuality: FilterQuality | null;
}

// The model the round rolled out with (rounds.input_model_id), the judge's default model.
async function roundInputModelId(db: Queryable, runId: string, round: number): Promise<string> {
  const result = await db.query('SELECT input_model_id FROM rounds WHERE run_id = $1 AND number = $2', [runId, round]);
  const modelId = (result.rows[0] as { input_model_id: string | null } | undefined)?.input_model_id;
  if (!modelId) throw new Error(`round ${round} of run ${runId} has no input model recorded; was the round started?`);
  return modelId;
}

/** The part of a stored judge verdict a retried step reuses. */
const storedJudgmentSchema = z.object({ plausible: z.boolean() });

/** Critique activities (cpu queue): keep plausible trajectories without labels, and measure the filter. */
export function createCritiqueActivities(deps: ActivityDependencies) {
  async function judgeFor(runId: string, round: number): Promise<{ judge: TrajectoryJudge; model: string } | null> {
    const spec = await loadRunSpecOf(deps, runId);
    if (!spec.critique.llmJudge) return null;
    let target;
    if (spec.generator) {
      target = specEndpoint(spec.generator);
    } else {
      const current = await getModel(deps.db, await roundInputModelId(deps.db, runId, round));
      target = { endpoint: current.endpoint, model: current.provider_model };
    }
    return { judge: createModelTrajectoryJudge({ client: clientFor(deps, target.endpoint), model: target.model }), model: target.model };
  }

  return {
    /**
     * Runs the label-free plausibility filter (and, when the spec asks, the LLM judge; a trajectory is
     * kept only when both agree) over the round's in-domain episodes, stores every verdict, and stores
     * (and returns) the precision / recall / F1 against the true scores, the judge's alone beside them.
     */
    async critiqueRound({ runId, round }: { runId: string; round: number }): Promise<CritiqueRoundSummary> {
      const episodes = (await listEpisodes(deps.db, { runId, round, purpose: 'train' })).filter((episode) => episode.status === 'completed');
      const llm = await judgeFor(runId, round);
      const decisions: Array<{ kept: boolean; score: number | null }> = [];
      const judgeDecisions: Array<{ kept: boolean; score: number | null }> = [];
      // A retried attempt (a model fault part-way) keeps the verdicts already stored instead of judging from the start again.
      const stored = await listRoundCritiques(deps.db, runId, round);
      for (const episode of episodes) {
        const earlier = stored.get(episode.id);
        const earlierJudgment = storedJudgmentSchema.safeParse(earlier?.judge);
        if (earlier && (!llm || earlierJudgment.success)) {
          decisions.push({ kept: earlier.kept, score: episode.score });
          if (llm && earlierJudgment.success) judgeDecisions.push({ kept: earlierJudgment.data.plausible, score: episode.score });
          continue;
        }
        const trajectory = await loadTrajectory(deps.db, episode);
        let critique;
        try {
          // The judge is asked even where the checks already reject, so its own precision/recall can be measured.
          critique = await critiqueTrajectory(trajectory, llm ? { judge: llm.judge, askJudgeAlways: true } : {});
        } catch (error) {
          throw toModelCallFailure(error, `trajectory judge (${llm?.model ?? 'none'}) on episode ${episode.id}`);
        }
        const judge = critique.judgment ? { ...critique.judgment, model: llm?.model } : null;
        await upsertCritique(deps.db, { episodeId: episode.id, runId, round, kept: critique.kept, failedChecks: critique.failedChecks, judge });
        decisions.push({ kept: critique.kept, score: episode.score });
        if (critique.judgment) judgeDecisions.push({ kept: critique.judgment.plausible, score: episode.score });
        Context.current().heartbeat(decisions.length);
      }
      const quality = measureFilterQuality(decisions);
      const judgeQuality = llm ? measureFilterQuality(judgeDecisions) : null;
      await recordFilterQuality(deps.db, runId, round, judgeQuality ? { ...quality, judge: judgeQuality } : quality);
      return { episodes: episodes.length, kept: decisions.filter((decision) => decision.kept).length, quality, judgeQuality };
    },
  };
}

export type CritiqueActivities = ReturnType<typeof createCritiqueActivities>;
