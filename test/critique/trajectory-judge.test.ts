import { describe, expect, it } from 'vitest';
import { critiqueTrajectory, TrajectoryJudgmentError, type TrajectoryJudge, type TrajectoryJudgment } from '../../src/critique';
import type { Trajectory } from '../../src/domain/trajectory';
import { buildTrajectory } from './trajectory-fixture';

/** A judge that answers a fixed verdict and remembers which episodes it was asked about. */
function scriptedJudge(verdict: unknown): TrajectoryJudge & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    judge(trajectory: Trajectory) {
      asked.push(trajectory.episodeId);
      return Promise.resolve(verdict as TrajectoryJudgment);
    },
  };
}

const plausible = buildTrajectory({ episodeId: 'ep-good' });
const implausible = buildTrajectory({ episodeId: 'ep-na', steps: [{ action: 'stop [N/A]' }] });

describe('critiqueTrajectory', () => {
  it('keeps a trajectory when the checks pass and no judge is configured', async () => {
    const critique = await critiqueTrajectory(plausible);
    expect(critique).toMatchObject({ kept: true, failedChecks: [], judgment: null });
  });

  it('keeps a trajectory only when both critics agree it is plausible', async () => {
    const critique = await critiqueTrajectory(plausible, { judge: scriptedJudge({ plausible: true, reason: 'answer is shown on the page' }) });
    expect(critique).toMatchObject({ kept: true, failedChecks: [], judgment: { plausible: true } });
  });

  it('rejects a trajectory the judge calls implausible even though the checks pass', async () => {
    const critique = await critiqueTrajectory(plausible, { judge: scriptedJudge({ plausible: false, reason: 'the price belongs to another product' }) });
    expect(critique).toMatchObject({ kept: false, failedChecks: ['judge_rejected'], heuristic: { kept: true } });
  });

  it('does not ask the judge about a trajectory the checks rejected', async () => {
    const judge = scriptedJudge({ plausible: true, reason: 'fine' });
    const critique = await critiqueTrajectory(implausible, { judge });
    expect(judge.asked).toEqual([]);
    expect(critique).toMatchObject({ kept: false, failedChecks: ['no_answer'], judgment: null });
  });

  it('asks the judge about rejected trajectories too when asked to, without overturning the checks', async () => {
    const judge = scriptedJudge({ plausible: true, reason: 'fine' });
    const critique = await critiqueTrajectory(implausible, { judge, askJudgeAlways: true });
    expect(judge.asked).toEqual(['ep-na']);
    expect(critique).toMatchObject({ kept: false, failedChecks: ['no_answer'], judgment: { plausible: true } });
  });

  it('fails naming the episode when the judge answers in the wrong shape', async () => {
    const judge = scriptedJudge({ plausible: 'yes', reason: 'fine' });
    await expect(critiqueTrajectory(plausible, { judge })).rejects.toThrow(TrajectoryJudgmentError);
    await expect(critiqueTrajectory(plausible, { judge })).rejects.toThrow(/episode ep-good.*plausible/);
  });
});
