import { afterAll, describe, expect, it } from 'vitest';
import { runChaosExperiment, stopChaosProcesses } from '../../reliability/chaos/chaos-experiment';
import { formatChaosMarkdown } from '../../reliability/chaos/chaos-report';

// The small version of `npm run reliability:chaos`: the same code on 3 tasks with 3 worker SIGKILLs,
// one Temporal restart and one PostgreSQL restart, on its own embedded PostgreSQL and Temporal.
// About 3 minutes on a quiet machine; at load 35 on 2 cores each of its two runs took ~10 minutes.
afterAll(stopChaosProcesses);

describe('chaos', { timeout: 2_400_000 }, () => {
  it('completes a run through worker SIGKILLs and Temporal and PostgreSQL restarts with nothing lost or duplicated and the same final metrics', async () => {
    const log: string[] = [];
    const report = await runChaosExperiment({
      tasks: 3,
      rounds: 1,
      workerKills: 3,
      temporalRestarts: 1,
      postgresRestarts: 1,
      // Longer than the 15 s that 5 attempts of a bookkeeping step used to wait out.
      postgresOutageSeconds: 20,
      specSeed: 3,
      // This seed's plan kills browser, orchestration and llm workers, in that order, between the restarts.
      chaosSeed: 13,
      browserContexts: 2,
      concurrency: 2,
      maxSteps: 8,
      runTimeoutMs: 1_000_000,
      keepWorkDir: false,
      log: (line) => log.push(line),
    });
    const explanation = `${report.failures.join('\n')}\n--- log ---\n${log.join('\n')}`;

    expect(report.failures, explanation).toEqual([]);
    expect(report.undisturbed.completed && report.chaos.completed, explanation).toBe(true);
    expect(report.faultsInjectedByKind).toEqual({ 'worker-sigkill': 3, 'temporal-restart': 1, 'postgres-restart': 1 });
    expect(report.faultsSurvived).toBe(5);
    // 3 tasks x (trivial baseline, baseline, round-1 training rollout, round-1 evaluation).
    expect(report.undisturbed.episodes).toBe(12);
    expect(report.chaos.episodes).toBe(12);
    expect(report.chaos.stepRows).toBe(report.undisturbed.stepRows);
    expect(report.itemsLost).toBe(0);
    expect(report.chaos.integrity).toEqual({ duplicatedEpisodes: [], duplicatedSteps: [], orphanedSteps: [], episodesWithMissingSteps: [], unfinishedEpisodes: [] });
    expect(report.metricsEqual).toBe(true);
    expect(report.comparison.metricsCompared).toBeGreaterThan(0);
    expect(report.chaos.workerMemory.browser?.withChildrenMiB).toBeGreaterThan(report.chaos.workerMemory.browser?.processRssMiB ?? Infinity);
    expect(formatChaosMarkdown(report)).toContain('| faults survived | 5 of 5 |');
  });
});
