import { Context } from '@temporalio/activity';
import { critiqueTrajectory, measureFilterQuality, type FilterQuality } from '../../critique';
import { listEpisodes } from '../../storage/episodes';
import { recordFilterQuality, upsertCritique } from '../../storage/critiques';
import type { ActivityDependencies } from '../dependencies';
import { loadTrajectory } from '../episode-trajectories';

/** Critique activities (cpu queue): keep plausible trajectories without labels, and measure the filter. */
export function createCritiqueActivities(deps: ActivityDependencies) {
  return {
    /**
     * Runs the label-free plausibility filter over the round's in-domain episodes, stores every
     * verdict, and stores (and returns) the filter's precision / recall / F1 against the true scores.
     */
    async critiqueRound({ runId, round }: { runId: string; round: number }): Promise<{ episodes: number; kept: number; quality: FilterQuality }> {
      const episodes = (await listEpisodes(deps.db, { runId, round, purpose: 'train' })).filter((episode) => episode.status === 'completed');
      const decisions: Array<{ kept: boolean; score: number | null }> = [];
      for (const episode of episodes) {
        const trajectory = await loadTrajectory(deps.db, episode);
        const critique = await critiqueTrajectory(trajectory);
        await upsertCritique(deps.db, { episodeId: episode.id, runId, round, kept: critique.kept, failedChecks: critique.failedChecks, judge: critique.judgment });
        decisions.push({ kept: critique.kept, score: episode.score });
        Context.current().heartbeat(decisions.length);
      }
      const quality = measureFilterQuality(decisions);
      await recordFilterQuality(deps.db, runId, round, quality);
      return { episodes: episodes.length, kept: decisions.filter((decision) => decision.kept).length, quality };
    },
  };
}

export type CritiqueActivities = ReturnType<typeof createCritiqueActivities>;
