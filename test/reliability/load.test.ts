// The load script's checks at a size npm test can afford: 40 episodes queued at once through one
// evaluation workflow, drained by a separate browser worker process with 4 browser contexts.
import { describe, expect, it } from 'vitest';
import { runLoad, TEMPORAL_HISTORY_LIMITS, type LoadResult } from '../../reliability/load-run';

const EPISODES = 40;
const FULL_LOAD_EPISODES = 1_000;

describe('load: episodes queued at once through an evaluation workflow', () => {
  let result: LoadResult;

  it('drains 40 episodes with 4 browser contexts, none lost or run twice', async () => {
    result = await runLoad({ episodes: EPISODES, contexts: 4, maxSteps: 3, samplesPerTask: 4, timeoutMs: 12 * 60_000, runId: 'load-test' });
    expect(result.problem).toBeNull();
    expect(result.finished).toBe(true);
    expect(result.rolloutCompleted).toBe(true);
    expect(result.setup).toMatchObject({ tasks: 10, samplesPerTask: 4, rolloutConcurrency: 4 });
    expect(result.episodes).toMatchObject({ expected: EPISODES, completed: EPISODES, failed: 0, lost: 0, neverScheduled: 0, unexpected: 0, duplicated: 0 });
    // Every completed episode took at least one step and at most the limit.
    expect(result.episodes.steps).toBeGreaterThanOrEqual(EPISODES);
    expect(result.episodes.steps).toBeLessThanOrEqual(EPISODES * 3);
    expect(result.episodesPerMinute).toBeGreaterThan(0);
    // The sliding window: never more episodes at once than the concurrency, and more than one on average.
    expect(result.window.maxInFlight).toBeLessThanOrEqual(4);
    expect(result.window.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(result.window.meanInFlight).toBeGreaterThan(1);
    // A writer has its sites to itself: no episode on a shared site ran while it did.
    expect(result.window.siteConflicts).toBe(0);
    // The run id fixes the seeded task sample, which has writing tasks (so the check above means something).
    expect(result.setup.writingTasks).toBeGreaterThan(0);
    expect(result.window.byTenth.reduce((total, point) => total + point.finished, 0)).toBe(EPISODES);
  }, 15 * 60_000);

  it('keeps the rollout history small enough that 1,000 episodes stay far below Temporal\'s limits', () => {
    const { histories } = result;
    expect(histories.workflows.map((figure) => figure.workflowType).sort()).toEqual(['evaluation', 'rollout']);
    // Measured per episode: scheduled, started and completed events plus a share of workflow tasks.
    const eventsPerEpisode = histories.rolloutEventsPerEpisode!;
    const bytesPerEpisode = histories.rolloutBytesPerEpisode!;
    expect(eventsPerEpisode).toBeGreaterThanOrEqual(3);
    expect(eventsPerEpisode).toBeLessThanOrEqual(8);
    expect(bytesPerEpisode).toBeLessThanOrEqual(2_048);
    // Extrapolated to the full load run: under a quarter of the event limit, under 1/20 of the size limit.
    expect(eventsPerEpisode * FULL_LOAD_EPISODES).toBeLessThan(TEMPORAL_HISTORY_LIMITS.events / 4);
    expect(bytesPerEpisode * FULL_LOAD_EPISODES).toBeLessThan(TEMPORAL_HISTORY_LIMITS.bytes / 20);
    for (const figure of histories.workflows) {
      expect(figure.events).toBeGreaterThan(0);
      expect(figure.bytes).toBeGreaterThan(0);
      // The server's own accounting agrees with the fetched history to within 1%.
      if (figure.serverBytes !== null) expect(Math.abs(figure.serverBytes - figure.bytes)).toBeLessThan(figure.bytes / 100);
    }
  });

  it('samples the memory of every worker process and of the browser worker\'s Chromium', () => {
    const { memory } = result;
    expect(memory.samples).toBeGreaterThanOrEqual(10);
    for (const kind of ['orchestration', 'browser', 'cpu', 'llm', 'train'] as const) {
      // A Node worker process with the Temporal SDK loaded is tens of MiB at the least.
      expect(memory.peakWorkerRssMiB[kind]).toBeGreaterThan(50);
      expect(memory.peakWorkerRssMiB[kind]).toBeLessThan(2_048);
    }
    expect(memory.peakChromiumProcesses).toBeGreaterThanOrEqual(2);
    expect(memory.peakChromiumPssMiB).toBeGreaterThan(20);
    // PSS splits shared pages, so it is below the plain RSS sum.
    expect(memory.peakChromiumPssMiB).toBeLessThan(memory.peakChromiumRssMiB);
    expect(memory.peakTemporalServerRssMiB).toBeGreaterThan(10);
    expect(memory.byProgress.map((point) => point.percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(memory.byProgress.at(-1)!.finished).toBe(EPISODES);
  });
});
