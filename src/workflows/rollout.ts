// Fan-out of episodes over a task list: a sliding window of at most `concurrency` episodes in
// flight; a task that writes to a site has that site to itself (no other writer or reader at the
// same time, so nobody sees a half-changed site), and a failure budget so that a few broken
// episodes do not sink the batch (the shortfall is reported).
import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import { browser } from './activity-options';
import type { RolloutInput, RolloutResult } from './definitions';

interface PendingEpisode {
  episodeId: string;
  taskId: number;
  sample: number;
  sites: string[];
  writes: boolean;
}

/** Runs every (task, sample) episode once and summarises the batch. */
export async function rollout(input: RolloutInput): Promise<RolloutResult> {
  const queue: PendingEpisode[] = [];
  for (const taskId of input.taskIds) {
    for (let sample = 0; sample < input.samplesPerTask; sample += 1) {
      const { sites, writes } = input.taskSites[String(taskId)] ?? { sites: [], writes: false };
      queue.push({ episodeId: `${input.episodePrefix}/${taskId}/${sample}`, taskId, sample, sites, writes });
    }
  }
  const total = queue.length;
  const allowedFailures = Math.floor(total * input.failureBudget);
  const readers = new Map<string, number>();
  const writers = new Set<string>();
  const canStart = (episode: PendingEpisode) =>
    episode.sites.every((site) => !writers.has(site) && (!episode.writes || (readers.get(site) ?? 0) === 0));
  const scores: number[] = [];
  const failedEpisodeIds: string[] = [];
  let inFlight = 0;

  const launch = async (episode: PendingEpisode): Promise<void> => {
    inFlight += 1;
    for (const site of episode.sites) {
      if (episode.writes) writers.add(site);
      else readers.set(site, (readers.get(site) ?? 0) + 1);
    }
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
      for (const site of episode.sites) {
        if (episode.writes) writers.delete(site);
        else readers.set(site, (readers.get(site) ?? 1) - 1);
      }
    }
  };

  const running: Array<Promise<void>> = [];
  while (queue.length > 0) {
    await condition(() => inFlight < input.concurrency);
    // The first queued episode whose sites allow it to start now.
    await condition(() => queue.some(canStart));
    const index = queue.findIndex(canStart);
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
