// Fan-out of episodes over a task list: a sliding window of at most `concurrency` episodes in
// flight, never two writing tasks on one site at once, and a failure budget so that a few broken
// episodes do not sink the batch (the shortfall is reported).
import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import { browser } from './activity-options';
import type { RolloutInput, RolloutResult } from './definitions';

interface PendingEpisode {
  episodeId: string;
  taskId: number;
  sample: number;
  sites: string[];
}

/** Runs every (task, sample) episode once and summarises the batch. */
export async function rollout(input: RolloutInput): Promise<RolloutResult> {
  const queue: PendingEpisode[] = [];
  for (const taskId of input.taskIds) {
    for (let sample = 0; sample < input.samplesPerTask; sample += 1) {
      queue.push({ episodeId: `${input.episodePrefix}/${taskId}/${sample}`, taskId, sample, sites: input.writingSites[String(taskId)] ?? [] });
    }
  }
  const total = queue.length;
  const allowedFailures = Math.floor(total * input.failureBudget);
  const busySites = new Set<string>();
  const scores: number[] = [];
  const failedEpisodeIds: string[] = [];
  let inFlight = 0;

  const launch = async (episode: PendingEpisode): Promise<void> => {
    inFlight += 1;
    episode.sites.forEach((site) => busySites.add(site));
    try {
      const result = await browser.runEpisode({
        episodeId: episode.episodeId,
        runId: input.runId,
        round: input.round,
        evaluationId: input.evaluationId,
        purpose: input.purpose,
        suiteId: input.suiteId,
        taskId: episode.taskId,
        sample: episode.sample,
        modelId: input.modelId,
      });
      if (result.score !== null) scores.push(result.score);
    } catch (error) {
      failedEpisodeIds.push(episode.episodeId);
      log.warn('episode failed after its retries', { episodeId: episode.episodeId, error: String(error) });
    } finally {
      inFlight -= 1;
      episode.sites.forEach((site) => busySites.delete(site));
    }
  };

  const running: Array<Promise<void>> = [];
  while (queue.length > 0) {
    await condition(() => inFlight < input.concurrency);
    // The first queued episode whose writing sites are free; read-only tasks are always free.
    let index = queue.findIndex((episode) => episode.sites.every((site) => !busySites.has(site)));
    if (index < 0) {
      await condition(() => queue.some((episode) => episode.sites.every((site) => !busySites.has(site))));
      index = queue.findIndex((episode) => episode.sites.every((site) => !busySites.has(site)));
    }
    const [next] = queue.splice(index, 1);
    if (next) running.push(launch(next));
  }
  await Promise.all(running);

  if (failedEpisodeIds.length > allowedFailures) {
    throw ApplicationFailure.nonRetryable(
      `${failedEpisodeIds.length} of ${total} episodes failed, over the failure budget of ${allowedFailures}: ${failedEpisodeIds.slice(0, 5).join(', ')}`,
      'FailureBudgetExceeded',
    );
  }
  return {
    episodes: total,
    completed: total - failedEpisodeIds.length,
    failed: failedEpisodeIds.length,
    meanScore: scores.length ? scores.reduce((sum, score) => sum + score, 0) / scores.length : null,
    failedEpisodeIds: failedEpisodeIds.slice(0, 50),
  };
}
