import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEpisodes, listSteps } from '../../src/storage/episodes';
import { listStepStates } from '../../src/storage/runs';
import { reportDataSchema } from '../../src/report/report-data';
import { writeReport } from '../../src/report/write-report';
import { createNightlySchedule } from '../../src/runs/schedules';
import type { EvaluationSummary, ImprovementRunResult } from '../../src/workflows/definitions';
import { inspectReportPage } from '../support/report-page';
import { startTestStack, type TestStack } from '../support/stack';
import { recordHistoryFixture, resultOrOperatorWait, smallRunSpec, startRun, waitUntil } from '../support/runs';

let stack: TestStack;
let client: Client;
/** The run the first test completes; the report and schedule tests use it. */
let completedRunId: string | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  client = stack.client;
});
afterAll(async () => {
  await stack?.teardown();
});

const ROUND_STEPS = ['generate', 'rollout', 'critique', 'mix', 'finetune', 'evaluate'];

describe('improvementRun', { timeout: 600_000 }, () => {
  it('completes a two-round run with every step in order and every row written once', async () => {
    const spec = smallRunSpec('two-rounds', { rounds: 2 });
    const { runId, handle } = await startRun(client, stack.deps.db, spec);
    const result = await resultOrOperatorWait<ImprovementRunResult>(client, handle.workflowId);
    expect(result.roundsCompleted).toBe(2);
    expect(result.stopReason).toContain('round budget');

    const states = await listStepStates(stack.deps.db, runId);
    for (const round of [1, 2]) {
      const steps = states.filter((state) => state.workflow_id === `${runId}/round-${round}`);
      expect(steps.map((state) => state.step)).toEqual(ROUND_STEPS);
      expect(steps.every((state) => state.status === 'completed')).toBe(true);
      // Completion times follow the round's order.
      const times = steps.map((state) => state.updated_at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
    expect(states.filter((state) => state.workflow_id === runId).map((state) => state.step)).toEqual(['prepare', 'trivial-baseline', 'baseline', 'round-1', 'gate-1', 'round-2', 'gate-2', 'final-metrics']);

    // Each (purpose, task, sample) has exactly one episode; each episode's steps are 0..n-1 once each.
    const episodes = await listEpisodes(stack.deps.db, { runId });
    const evaluations = new Set(episodes.map((episode) => episode.evaluation_id ?? `train-${episode.round}`));
    expect(evaluations.size).toBe(2 + 2 + 2); // trivial + baseline + 2 round evaluations + 2 train rollouts
    for (const episode of episodes) {
      expect(episode.status).toBe('completed');
      const steps = await listSteps(stack.deps.db, episode.id);
      expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index));
    }
    const trainRound1 = episodes.filter((episode) => episode.purpose === 'train' && episode.round === 1);
    expect(new Set(trainRound1.map((episode) => episode.task_id)).size).toBe(trainRound1.length);
    expect(trainRound1.length).toBe(3);

    const models = await stack.deps.db.query(`SELECT id, parent_model_id, dataset_id, round FROM models WHERE run_id = $1 AND status = 'ready' ORDER BY round`, [runId]);
    expect(models.rows).toHaveLength(2);
    const datasets = await stack.deps.db.query('SELECT id FROM datasets WHERE run_id = $1', [runId]);
    expect(datasets.rows).toHaveLength(2);

    completedRunId = runId;
    await recordHistoryFixture(client, runId, 'improvement-run');
    await recordHistoryFixture(client, `${runId}/round-1`, 'improvement-round');
    await recordHistoryFixture(client, `${runId}/round-1/rollout`, 'rollout');
    await recordHistoryFixture(client, `${runId}/round-1/evaluate`, 'evaluation');
  });

  it('writes a report whose page renders in Chromium without console errors', async () => {
    if (!completedRunId) throw new Error('the two-round run did not complete');
    const out = join(stack.dataDir, 'report');
    const written = await writeReport(stack.deps.db, completedRunId, out);
    const report = reportDataSchema.parse(JSON.parse(readFileSync(written.jsonFile, 'utf8')));
    expect(report.evaluations.map((evaluation) => evaluation.label)).toEqual(['always N/A', 'base', 'round 1', 'round 2']);
    for (const evaluation of report.evaluations) {
      expect(evaluation.functionalCorrectness).not.toBeNull();
      expect(evaluation.metrics?.episodes).toBe(3);
      expect(typeof evaluation.capabilityScore).toBe('number');
    }
    // Filter quality is measured over each round's scored episodes (3 rolled out; an unscored one is left out).
    for (const round of report.rounds) {
      expect(round.filterQuality?.total).toBeGreaterThan(0);
      expect(round.filterQuality?.total).toBeLessThanOrEqual(3);
    }
    expect(report.rounds).toHaveLength(2);
    expect(existsSync(join(out, report.episodes[0]!.page))).toBe(true);

    const problems = await inspectReportPage(written.htmlFile, 6, async (page) => {
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
      expect(await page.locator('h1').textContent()).toContain(completedRunId);
    });
    expect(problems).toEqual([]);
  });

  it('creates a nightly schedule that, triggered, evaluates the current champion', async () => {
    if (!completedRunId) throw new Error('the two-round run did not complete');
    const scheduleId = `nightly-${Date.now()}`;
    await createNightlySchedule(client, { scheduleId, cron: '0 3 * * *', catchupWindow: '1 day', input: { suitePath: 'builtin', split: 'eval', runId: completedRunId, taskLimit: 2, concurrency: 2 } });
    const handle = client.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(described.info.nextActionTimes.length).toBeGreaterThan(0);
    await handle.trigger();
    const started = await waitUntil('the triggered evaluation to start', async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
    const summary = await client.workflow.getHandle(started).result() as EvaluationSummary;
    const champion = await stack.deps.db.query<{ champion_model_id: string }>('SELECT champion_model_id FROM runs WHERE id = $1', [completedRunId]);
    expect(summary.modelId).toBe(champion.rows[0]?.champion_model_id);
    expect(summary.episodes).toBe(2);
    await handle.pause('maintenance');
    expect((await handle.describe()).state.paused).toBe(true);
    await handle.delete();
  });
});
