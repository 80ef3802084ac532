import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listDatasetExamples } from '../../src/storage/datasets';
import { listStepStates } from '../../src/storage/runs';
import { listSyntheticExamples } from '../../src/storage/synthetic-examples';
import type { ImprovementRunResult } from '../../src/workflows/definitions';
import { resultOrOperatorWait, smallRunSpec, startRun } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';

// A whole one-round run with the LLM judge and grounded OOD both on: every fact asserted here is
// one a run that ignored either option would not produce.

const critiqueRowSchema = z.object({
  episode_id: z.string(),
  kept: z.boolean(),
  failed_checks: z.array(z.string()),
  judge: z.object({ plausible: z.boolean(), reason: z.string().min(1), model: z.string() }).nullable(),
  score: z.number().nullable(),
});
const qualitySchema = z.object({
  total: z.number().int(),
  keptCount: z.number().int(),
  truePositives: z.number().int(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
});
const filterQualitySchema = qualitySchema.extend({ judge: qualitySchema });
const generateSummarySchema = z.object({
  tasks: z.number().int(),
  synthetic: z.object({ created: z.number().int(), dropped: z.number().int(), dropReasons: z.array(z.string()) }),
});
const stepSchema = z.object({ prompt_messages: z.unknown(), response: z.string() });

const OOD_COUNT = 3;

let stack: TestStack;
let runId: string;
let result: ImprovementRunResult;

beforeAll(async () => {
  stack = await startTestStack();
  const spec = smallRunSpec('judge-grounded', { critique: { llmJudge: true }, ood: { count: OOD_COUNT, grounded: true } });
  const started = await startRun(stack.client, stack.deps.db, spec);
  runId = started.runId;
  result = await resultOrOperatorWait<ImprovementRunResult>(stack.client, started.runId, { timeoutMs: 840_000 });
}, 900_000);
afterAll(async () => {
  await stack?.teardown();
});

describe('a one-round run with critique.llmJudge and ood.grounded', { timeout: 120_000 }, () => {
  it('completes every round step', async () => {
    expect(result.roundsCompleted).toBe(1);
    const steps = (await listStepStates(stack.deps.db, runId)).filter((state) => state.workflow_id === `${runId}/round-1`);
    expect(steps.map((state) => [state.step, state.status])).toEqual(
      ['generate', 'rollout', 'critique', 'mix', 'finetune', 'evaluate'].map((step) => [step, 'completed']),
    );
  });

  it("stores the judge's verdict for every trajectory of the round, and the filter keeps only what both critics pass", async () => {
    const rows = z.array(critiqueRowSchema).parse((await stack.deps.db.query(
      `SELECT c.episode_id, c.kept, c.failed_checks, c.judge, e.score FROM critiques c JOIN episodes e ON e.id = c.episode_id
       WHERE c.run_id = $1 AND c.round = 1 ORDER BY c.episode_id`, [runId])).rows);
    const trainEpisodes = await stack.deps.db.query(`SELECT id FROM episodes WHERE run_id = $1 AND purpose = 'train' AND round = 1`, [runId]);
    expect(rows.map((row) => row.episode_id).sort()).toEqual(trainEpisodes.rows.map((row: { id: string }) => row.id).sort());
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      if (!row.judge) throw new Error(`episode ${row.episode_id} has no judge verdict`);
      // The judge defaults to the model the round rolled out with.
      expect(row.judge.model).toBe('ratchet-base');
      expect(row.failed_checks.includes('judge_rejected')).toBe(!row.judge.plausible);
      expect(row.kept).toBe(row.judge.plausible && row.failed_checks.length === 0);
    }
  });

  it('stores the filter quality (precision, recall, F1) for the round, with the judge alone beside it', async () => {
    const rows = z.array(critiqueRowSchema).parse((await stack.deps.db.query(
      `SELECT c.episode_id, c.kept, c.failed_checks, c.judge, e.score FROM critiques c JOIN episodes e ON e.id = c.episode_id WHERE c.run_id = $1 AND c.round = 1`, [runId])).rows);
    const stored = await stack.deps.db.query('SELECT filter_quality FROM rounds WHERE run_id = $1 AND number = 1', [runId]);
    const quality = filterQualitySchema.parse((stored.rows[0] as { filter_quality: unknown }).filter_quality);
    const scored = rows.filter((row) => row.score !== null);
    expect(scored.length).toBeGreaterThan(0);
    expect(quality.total).toBe(scored.length);
    expect(quality.keptCount).toBe(scored.filter((row) => row.kept).length);
    expect(quality.truePositives).toBe(scored.filter((row) => row.kept && row.score === 1).length);
    const successes = scored.filter((row) => row.score === 1).length;
    expect(quality.precision).toBe(quality.keptCount === 0 ? null : quality.truePositives / quality.keptCount);
    expect(quality.recall).toBe(successes === 0 ? null : quality.truePositives / successes);
    expect(quality.judge.total).toBe(scored.length);
    expect(quality.judge.keptCount).toBe(scored.filter((row) => row.judge?.plausible).length);
    expect(quality.judge.truePositives).toBe(scored.filter((row) => row.judge?.plausible && row.score === 1).length);
  });

  it('stores grounded OOD examples with their grounding outcome, and counts the dropped ones', async () => {
    const synthetic = await listSyntheticExamples(stack.deps.db, runId, { round: 1 });
    const generate = (await listStepStates(stack.deps.db, runId)).find((state) => state.workflow_id === `${runId}/round-1` && state.step === 'generate');
    const summary = generateSummarySchema.parse(generate?.summary);
    expect(summary.synthetic.created).toBe(synthetic.length);
    expect(summary.synthetic.created).toBeGreaterThan(0);
    expect(summary.synthetic.dropReasons).toHaveLength(Math.min(summary.synthetic.dropped, 20));
    for (const row of synthetic) {
      expect(row.kind).toBe('grounded_ood');
      expect(row.provenance).toMatchObject({ verified: true, round: 1, blockedRequests: 0 });
      expect(typeof row.provenance.groundedAction).toBe('string');
      expect(['performed', 'rendered']).toContain(row.provenance.check);
    }
  });

  it("mixes the grounded examples as the dataset's OOD source, and in-domain examples only from kept trajectories", async () => {
    const datasets = await stack.deps.db.query<{ id: string; spec: { sources: Array<{ id: string; kind: string }> } }>('SELECT id, spec FROM datasets WHERE run_id = $1 AND round = 1', [runId]);
    expect(datasets.rows).toHaveLength(1);
    const dataset = datasets.rows[0]!;
    expect(dataset.spec.sources.find((source) => source.id === 'ood')?.kind).toBe('grounded_ood');
    const examples = [...await listDatasetExamples(stack.deps.db, dataset.id, 'train'), ...await listDatasetExamples(stack.deps.db, dataset.id, 'validation')];

    const grounded = new Set((await listSyntheticExamples(stack.deps.db, runId, { round: 1 })).map((row) => row.response));
    const mixedOod = examples.filter((example) => example.source === 'ood');
    expect(mixedOod.length).toBeGreaterThan(0);
    expect(mixedOod.every((example) => grounded.has(example.response))).toBe(true);

    const keptSteps = z.array(stepSchema).parse((await stack.deps.db.query(
      `SELECT s.prompt_messages, s.response FROM steps s JOIN critiques c ON c.episode_id = s.episode_id WHERE c.run_id = $1 AND c.round = 1 AND c.kept`, [runId])).rows);
    const keptKeys = new Set(keptSteps.map((step) => JSON.stringify([step.prompt_messages, step.response])));
    const inDomain = examples.filter((example) => example.source === 'in_domain');
    expect(inDomain.length).toBeGreaterThan(0);
    for (const example of inDomain) expect(keptKeys.has(JSON.stringify([example.messages, example.response]))).toBe(true);

    // The round's candidate was trained on that dataset.
    const candidate = await stack.deps.db.query(`SELECT dataset_id FROM models WHERE run_id = $1 AND round = 1 AND status = 'ready'`, [runId]);
    expect(candidate.rows).toEqual([{ dataset_id: dataset.id }]);
  });
});
