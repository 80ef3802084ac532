import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCritiqueActivities } from '../../src/activities/critique';
import { createModelTrajectoryJudge, JUDGE_FORMAT_ATTEMPTS } from '../../src/activities/critique/model-trajectory-judge';
import { createModelClient } from '../../src/llm/model-client';
import { loadTrajectory } from '../../src/activities/episode-trajectories';
import { listEpisodes } from '../../src/storage/episodes';
import { startScriptedModelServer, type ScriptedModelServer } from '../agent/scripted-model-server';
import { smallRunSpec } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { asActivity, prepareRound, rollOutRound } from './run-fixture';

let stack: TestStack;
let scripted: ScriptedModelServer;
let scriptedReply: (index: number) => string | { status: number; message: string } = () => 'VERDICT: plausible';
const judgedRun = `judged-${Date.now()}`;
const plainRun = `plain-${Date.now()}`;
const failingRun = `failing-${Date.now()}`;

beforeAll(async () => {
  stack = await startTestStack({ workerQueues: [] });
  scripted = await startScriptedModelServer((_request, index) => scriptedReply(index));
  const judged = await prepareRound(stack.deps, smallRunSpec('judged', { critique: { llmJudge: true } }), judgedRun);
  await rollOutRound(stack.deps, judgedRun, judged.baseModelId);
  const failing = await prepareRound(stack.deps, smallRunSpec('failing', {
    critique: { llmJudge: true }, suite: { path: 'builtin', taskLimit: 1 }, generator: { baseUrl: scripted.baseUrl, model: 'scripted-critic' },
  }), failingRun);
  await rollOutRound(stack.deps, failingRun, failing.baseModelId);
}, 300_000);
afterAll(async () => {
  await scripted?.close();
  await stack?.teardown();
});

describe('critique with the LLM judge', { timeout: 300_000 }, () => {
  it('stores the local model judge verdict per episode and reports its own precision and recall beside the combined filter', async () => {
    const summary = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: judgedRun, round: 1 }));
    expect(summary.episodes).toBe(3);
    expect(summary.judgeQuality).not.toBeNull();
    expect((summary.judgeQuality?.total ?? 0) + (summary.judgeQuality?.unscoredCount ?? 0)).toBe(3);

    const rows = await stack.deps.db.query('SELECT episode_id, kept, failed_checks, judge FROM critiques WHERE run_id = $1 ORDER BY episode_id', [judgedRun]);
    expect(rows.rows).toHaveLength(3);
    for (const row of rows.rows as Array<{ kept: boolean; failed_checks: string[]; judge: { plausible: boolean; reason: string; model: string } }>) {
      expect(typeof row.judge.plausible).toBe('boolean');
      expect(row.judge.reason.length).toBeGreaterThan(0);
      expect(row.judge.model).toBe('ratchet-base');
      // Kept only when both critics agree.
      expect(row.kept).toBe(row.judge.plausible && row.failed_checks.length === 0);
      expect(row.failed_checks.includes('judge_rejected')).toBe(!row.judge.plausible);
    }
    // The judge's own figures count its verdicts alone, against the evaluator's scores.
    const scored = await stack.deps.db.query(
      `SELECT (c.judge->>'plausible')::boolean AS plausible, e.score FROM critiques c JOIN episodes e ON e.id = c.episode_id WHERE c.run_id = $1 AND e.score IS NOT NULL`, [judgedRun]);
    const verdicts = scored.rows as Array<{ plausible: boolean; score: number }>;
    expect(summary.judgeQuality?.keptCount).toBe(verdicts.filter((row) => row.plausible).length);
    expect(summary.judgeQuality?.truePositives).toBe(verdicts.filter((row) => row.plausible && row.score === 1).length);

    const round = await stack.deps.db.query('SELECT filter_quality FROM rounds WHERE run_id = $1 AND number = 1', [judgedRun]);
    const stored = round.rows[0] as { filter_quality: { f1: number | null; total: number; judge: { total: number; precision: number | null } } };
    expect(stored.filter_quality.total).toBe(summary.quality.total);
    expect(stored.filter_quality.judge).toEqual(summary.judgeQuality);
  });

  it('leaves the judge out when the spec does not ask for it', async () => {
    // Same episodes, a run whose spec has the judge off: only the heuristic verdicts are stored.
    const spec = smallRunSpec('plain');
    const plain = await prepareRound(stack.deps, spec, plainRun);
    await stack.deps.db.query('UPDATE episodes SET run_id = $1 WHERE run_id = $2 AND purpose = $3', [plainRun, judgedRun, 'train']);
    try {
      expect(plain.baseModelId).toBeTruthy();
      const summary = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: plainRun, round: 1 }));
      expect(summary.judgeQuality).toBeNull();
      expect(summary.episodes).toBe(3);
      const rows = await stack.deps.db.query('SELECT kept, failed_checks, judge FROM critiques WHERE run_id = $1', [plainRun]);
      expect(rows.rows.every((row: { judge: unknown; failed_checks: string[] }) => row.judge === null && !row.failed_checks.includes('judge_rejected'))).toBe(true);
    } finally {
      await stack.deps.db.query('UPDATE episodes SET run_id = $1 WHERE run_id = $2', [judgedRun, plainRun]);
    }
  });

  it('fails the activity retryably when the judge model answers 503, naming the episode', async () => {
    scriptedReply = () => ({ status: 503, message: 'overloaded' });
    const error = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: failingRun, round: 1 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(false);
    expect((error as ApplicationFailure).message).toContain(`${failingRun}/round-1/train/`);
    expect(scripted.requests.at(-1)?.model).toBe('scripted-critic');
  });

  it('fails the activity for good when the judge model rejects the request with 400', async () => {
    scriptedReply = () => ({ status: 400, message: 'bad request' });
    const error = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: failingRun, round: 1 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('uses the generator endpoint at temperature 0 and takes a verdict that passes its check on a later attempt', async () => {
    scripted.requests.length = 0;
    scriptedReply = (index) => (index === 0 ? 'I think it is fine.' : 'The agent answered.\nVERDICT: implausible');
    const summary = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: failingRun, round: 1 }));
    expect(summary.episodes).toBe(1);
    expect(summary.kept).toBe(0);
    expect(scripted.requests).toHaveLength(2);
    expect(scripted.requests.every((request) => request.temperature === 0 && request.model === 'scripted-critic')).toBe(true);
    const row = await stack.deps.db.query('SELECT judge, failed_checks FROM critiques WHERE run_id = $1', [failingRun]);
    expect(row.rows[0]).toMatchObject({ judge: { plausible: false, reason: 'The agent answered.', model: 'scripted-critic' } });
    expect((row.rows[0] as { failed_checks: string[] }).failed_checks).toContain('judge_rejected');
  });

  it('a retried critique step reuses the verdicts already stored instead of asking the judge again', async () => {
    scripted.requests.length = 0;
    scriptedReply = () => ({ status: 503, message: 'the judge must not be asked' });
    const summary = await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId: failingRun, round: 1 }));
    expect(scripted.requests).toHaveLength(0);
    expect(summary).toMatchObject({ episodes: 1, kept: 0 });
    // The stored verdict still counts in the judge's own precision/recall.
    expect((summary.judgeQuality?.total ?? 0) + (summary.judgeQuality?.unscoredCount ?? 0)).toBe(1);
  });

  it('counts a judge that never gives a readable verdict as implausible, with the reason', async () => {
    scripted.requests.length = 0;
    scriptedReply = () => 'Looks good to me!';
    const [episode] = await listEpisodes(stack.deps.db, { runId: failingRun, purpose: 'train' });
    if (!episode) throw new Error('the failing run has no episode');
    const judge = createModelTrajectoryJudge({ client: createModelClient({ baseUrl: scripted.baseUrl, timeoutMs: 10_000 }), model: 'scripted-critic' });
    const judgment = await judge.judge(await loadTrajectory(stack.deps.db, episode));
    expect(judgment.plausible).toBe(false);
    expect(judgment.reason).toContain(`no valid verdict in ${JUDGE_FORMAT_ATTEMPTS} attempts`);
    expect(judgment.reason).toContain('Looks good to me!');
    expect(scripted.requests).toHaveLength(JUDGE_FORMAT_ATTEMPTS);
  });
});
