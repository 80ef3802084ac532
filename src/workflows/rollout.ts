// Fan-out of episodes over a task list: a sliding window of at most `concurrency` episodes in
// flight; a task that writes to a site has that site to itself (no other writer or reader at the
// same time, so nobody sees a half-changed site), and a failure budget so that a few broken
// episodes do not sink the batch (the shortfall is reported). A writer waiting for its sites keeps
// its place: episodes queued behind it that use one of those sites do not start before it, so
// writers run interleaved with other sites' episodes instead of all piling up at the end of the
// batch, where at most one episode per site could run (the load test measured that tail).
import { ApplicationFailure, condition, log, patched } from '@temporalio/workflow';
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

  // Histories recorded before writers kept their place replay with the old choice.
  const writersKeepTheirPlace = patched('rollout-writers-keep-their-place');
  /** Index of the episode to start now, or -1: the first startable one, not overtaking a waiting writer on a shared site. */
  const nextStartable = (): number => {
    if (!writersKeepTheirPlace) return queue.findIndex(canStart);
    const reserved = new Set<string>();
    for (let index = 0; index < queue.length; index += 1) {
      const episode = queue[index]!;
      const overtakes = episode.sites.some((site) => reserved.has(site));
      if (!overtakes && canStart(episode)) return index;
      if (episode.writes) for (const site of episode.sites) reserved.add(site);
    }
    return -1;
  };

  const running: Array<Promise<void>> = [];
  while (queue.length > 0) {
    await condition(() => inFlight < input.concurrency);
    await condition(() => nextStartable() !== -1);
    const [next] = queue.splice(nextStartable(), 1);
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
