import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_SUMMARY_METRIC, evaluationMetricsSchema } from '../../src/domain/evaluation-metrics';
import { compareEvaluations } from '../../src/metrics/compare-evaluations';
import { compareStoredEvaluations } from '../../src/report/compare-stored-evaluations';
import { formatExperimentTable } from '../../src/report/format-experiment-table';
import { reportDataSchema } from '../../src/report/report-data';
import { writeReport } from '../../src/report/write-report';
import { launchExperiment } from '../../src/runs/launch-experiment';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import { listEpisodes } from '../../src/storage/episodes';
import { getMetricValues } from '../../src/storage/evaluations';
import { listExperimentMixtures } from '../../src/storage/experiments';
import { listStepStates } from '../../src/storage/runs';
import type { MixtureExperimentResult } from '../../src/workflows/experiment-definitions';
import { inspectReportPage } from '../support/report-page';
import { startTestStack, type TestStack } from '../support/stack';
import { recordHistoryFixture, resultOrOperatorWait, smallRunSpec, statusOf, waitUntil } from '../support/runs';

/**
 * `ratchet <args>` as a separate process without blocking this one: the workers that must answer the
 * CLI's status queries run in this process (test/support/run-cli.ts's spawnSync would freeze them).
 */
async function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.teardown();
});

async function storedMetrics(evaluationId: string) {
  return evaluationMetricsSchema.parse((await getMetricValues(stack.deps.db, evaluationId)).get(EVALUATION_SUMMARY_METRIC)?.detail);
}

const meanScore = (episodes: Array<{ score: number | null }>) => {
  const scored = episodes.filter((episode) => episode.score !== null);
  return scored.reduce((sum, episode) => sum + episode.score!, 0) / scored.length;
};

describe('mixtureExperiment', { timeout: 900_000 }, () => {
  let runId = '';
  let result: MixtureExperimentResult;

  it('rolls the base model out once and trains, evaluates and compares one model per mixture', async () => {
    const spec = smallRunSpec('experiment');
    runId = `experiment-${Date.now()}`;
    const handle = await launchExperiment({ client: stack.client, db: stack.deps.db, spec, runId, mixtures: ['A', 'B'] });
    result = await resultOrOperatorWait<MixtureExperimentResult>(stack.client, handle.workflowId, { timeoutMs: 840_000 });
    const db = stack.deps.db;

    // One shared rollout: 3 train episodes (one per task), all in round 1, under one rollout workflow.
    const train = await listEpisodes(db, { runId, purpose: 'train' });
    expect(train).toHaveLength(3);
    expect(new Set(train.map((episode) => episode.task_id)).size).toBe(3);
    expect(train.every((episode) => episode.round === 1 && episode.id.startsWith(`${runId}/round-1/train/`))).toBe(true);
    const states = await listStepStates(db, runId);
    const stepsOf = (workflowId: string) => states.filter((state) => state.workflow_id === workflowId).map((state) => state.step);
    expect(stepsOf(`${runId}/round-1`)).toEqual(['generate', 'rollout', 'critique']);
    expect(states.find((state) => state.workflow_id === `${runId}/round-1` && state.step === 'rollout')?.attempts).toBe(1);
    const experimentSteps = stepsOf(runId);
    expect(experimentSteps.slice(0, 3)).toEqual(['prepare', 'trivial-baseline', 'baseline']);
    expect([...experimentSteps.slice(3, 5)].sort()).toEqual(['mixture-A', 'mixture-B']);
    expect(experimentSteps.slice(5)).toEqual(['evaluate-mixture-A', 'evaluate-mixture-B', 'final-metrics', 'compare']);
    for (const mixture of ['A', 'B']) expect(stepsOf(`${runId}/mixture-${mixture}`)).toEqual(['mix', 'finetune']);
    // The mixtures' evaluations took turns: B's started after A's had closed (they share the sites).
    const [evaluationA, evaluationB] = await Promise.all(['A', 'B'].map((mixture) => stack.client.workflow.getHandle(`${runId}/mixture-${mixture}/evaluate`).describe()));
    expect(evaluationB!.startTime.getTime()).toBeGreaterThanOrEqual(evaluationA!.closeTime!.getTime());
    expect(evaluationA!.parentExecution?.workflowId).toBe(runId);
    expect(states.every((state) => state.status === 'completed')).toBe(true);

    // Each mixture has its own dataset with its preset's composition, its own model and evaluation.
    const mixtures = await listExperimentMixtures(db, runId);
    expect(mixtures.map((row) => row.mixture)).toEqual(['A', 'B']);
    const [a, b] = mixtures as [typeof mixtures[number], typeof mixtures[number]];
    expect(a.dataset_id).toContain(`${runId}/round-1/mixture-A/`);
    expect(b.dataset_id).toContain(`${runId}/round-1/mixture-B/`);
    expect(Object.keys(a.composition)).toEqual(['in_domain']);
    expect(a.composition.in_domain).toBeGreaterThan(0);
    const oodRows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM synthetic_examples WHERE run_id = $1 AND kind = 'ood'`, [runId]);
    const oodAvailable = Number(oodRows.rows[0]?.n);
    expect(b.composition.in_domain).toBe(a.composition.in_domain);
    expect(b.composition.ood).toBe(Math.min(a.composition.in_domain!, oodAvailable));
    const datasetSpecs = await db.query<{ id: string; name: string }>(`SELECT id, spec->>'name' AS name FROM datasets WHERE run_id = $1 ORDER BY id`, [runId]);
    expect(datasetSpecs.rows.map((row) => row.name)).toEqual(['preset-A', 'preset-B']);
    const models = await db.query<{ id: string; dataset_id: string; parent_model_id: string }>(
      `SELECT id, dataset_id, parent_model_id FROM models WHERE run_id = $1 AND status = 'ready' ORDER BY dataset_id`, [runId]);
    expect(models.rows.map((row) => row.dataset_id)).toEqual([a.dataset_id, b.dataset_id]);
    expect(models.rows.map((row) => row.id)).toEqual([a.model_id, b.model_id]);
    expect(new Set(models.rows.map((row) => row.parent_model_id)).size).toBe(1);
    expect(a.evaluation_id).toBe(`${runId}/mixture-A/evaluate`);
    expect(b.evaluation_id).toBe(`${runId}/mixture-B/evaluate`);

    // The comparison rows: recomputed from the stored metrics, and the difference checked against the episodes.
    const base = await storedMetrics(`${runId}/baseline`);
    const baseEpisodes = await listEpisodes(db, { evaluationId: `${runId}/baseline` });
    for (const row of [a, b]) {
      const expected = compareEvaluations(base, await storedMetrics(row.evaluation_id!), { seed: spec.seed, resamples: spec.gate.bootstrapSamples, confidence: 0.95 });
      expect(row.comparison).toEqual(expected);
      expect(row.comparison?.sharedTasks).toBe(3);
      const episodes = await listEpisodes(db, { evaluationId: row.evaluation_id! });
      expect(episodes).toHaveLength(3);
      expect(row.comparison?.difference).toBeCloseTo(meanScore(episodes) - meanScore(baseEpisodes), 10);
      expect(row.comparison?.candidate.functionalCorrectness).toBeCloseTo(meanScore(episodes), 10);
    }
    expect(result.comparison.map((summary) => [summary.mixture, summary.difference])).toEqual([['A', a.comparison?.difference], ['B', b.comparison?.difference]]);
    const run = await db.query<{ status: string; champion_model_id: string | null }>('SELECT status, champion_model_id FROM runs WHERE id = $1', [runId]);
    expect(run.rows[0]).toEqual({ status: 'completed', champion_model_id: null });

    // mixture-experiment.json and mixture-branch.json are from before evaluations took turns.
    await recordHistoryFixture(stack.client, runId, 'mixture-experiment-evaluations-take-turns');
    await recordHistoryFixture(stack.client, `${runId}/mixture-A`, 'mixture-branch-evaluated-by-experiment');
  });

  it('compares stored evaluations by id or run:label, and names an unknown one', async () => {
    if (!runId) throw new Error('the experiment did not run');
    const byLabel = await compareStoredEvaluations(stack.deps.db, `${runId}:base`, `${runId}:mixture B`, { seed: smallRunSpec('experiment').seed, resamples: 2_000 });
    const stored = (await listExperimentMixtures(stack.deps.db, runId)).find((row) => row.mixture === 'B');
    expect(byLabel.candidate.id).toBe(`${runId}/mixture-B/evaluate`);
    expect(byLabel.baseline.id).toBe(`${runId}/baseline`);
    expect(byLabel.comparison).toEqual(stored?.comparison);
    await expect(compareStoredEvaluations(stack.deps.db, `${runId}/baseline`, `${runId}:mixture D`)).rejects.toThrow(`no evaluation has the label 'mixture D' in run '${runId}'`);
    await expect(compareStoredEvaluations(stack.deps.db, 'no-such-evaluation', `${runId}/baseline`)).rejects.toThrow(`evaluation 'no-such-evaluation': no evaluation has this id`);
  });

  it('writes a report with an experiment section whose page renders in Chromium', async () => {
    if (!runId) throw new Error('the experiment did not run');
    const out = join(stack.dataDir, 'experiment-report');
    const written = await writeReport(stack.deps.db, runId, out);
    const report = reportDataSchema.parse(JSON.parse(readFileSync(written.jsonFile, 'utf8')));
    expect(report.experiment?.mixtures).toEqual(['A', 'B']);
    expect(report.experiment?.rows.map((row) => row.comparison?.difference)).toEqual(result.comparison.map((summary) => summary.difference));
    expect(report.experiment?.base?.evaluation).toBe(`${runId}/baseline`);
    const table = formatExperimentTable(report.experiment!);
    expect(table.split('\n').filter((line) => /^(base|mixture [AB])\b/.test(line))).toHaveLength(3);

    const problems = await inspectReportPage(written.htmlFile, 7, async (page) => {
      expect(await page.locator('#experiment').textContent()).toContain('mixtures A, B');
      const firstCells = await page.locator('#experiment + p + table tbody tr td:first-child').allTextContents();
      expect(firstCells.map((text) => text.trim())).toEqual(['base', 'mixture A', 'mixture B']);
    });
    expect(problems).toEqual([]);
  });

  it('lets an operator skip a mixture whose step keeps failing, found from the experiment id', async () => {
    // Without OOD examples mixture C has nothing to train on: its mix step fails and waits for an operator.
    const spec = smallRunSpec('experiment-no-ood', { ood: { enabled: false } });
    const skipId = `experiment-no-ood-${Date.now()}`;
    const handle = await launchExperiment({ client: stack.client, db: stack.deps.db, spec, runId: skipId, mixtures: ['A', 'C'] });
    const waiting = await waitUntil('mixture C to wait for an operator', async () => {
      const status = await statusOf(stack.client, `${skipId}/mixture-C`);
      return status?.state.startsWith('waiting for operator: mix') ? status.state : undefined;
    }, 600_000, 1_000);
    expect(waiting).toMatch(/^waiting for operator: mix: round 1 of experiment-no-ood-/);
    const cli = await runCliAsync(['skip-step', skipId, '--note', 'no OOD examples in this spec'], { TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_NAMESPACE: stack.namespace });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`skip-step: sent to ${skipId}/mixture-C (step mix)`);
    const outcome = await handle.result();
    expect(outcome.mixtures.find((branch) => branch.mixture === 'C')).toEqual({ mixture: 'C', datasetId: null, modelId: null, evaluationId: null, skippedSteps: ['mix', 'finetune', 'evaluate'] });
    expect(outcome.mixtures.find((branch) => branch.mixture === 'A')?.evaluationId).toBe(`${skipId}/mixture-A/evaluate`);
    expect(outcome.stopReason).toBe('1 of 2 mixtures trained and evaluated');
    const rows = await listExperimentMixtures(stack.deps.db, skipId);
    expect(rows.map((row) => [row.mixture, row.comparison === null, row.skipped_steps])).toEqual([['A', false, []], ['C', true, ['mix', 'finetune', 'evaluate']]]);
    const skipped = (await listStepStates(stack.deps.db, skipId)).find((state) => state.workflow_id === `${skipId}/mixture-C` && state.step === 'mix');
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.summary).toEqual({ note: 'no OOD examples in this spec' });
  });
});
