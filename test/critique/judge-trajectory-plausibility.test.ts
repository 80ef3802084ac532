import { describe, expect, it } from 'vitest';
import { judgeTrajectoryPlausibility } from '../../src/critique';
import { buildStep, buildTrajectory } from './trajectory-fixture';

describe('judgeTrajectoryPlausibility', () => {
  it('keeps a complete trajectory that ends with a definite answer', () => {
    expect(judgeTrajectoryPlausibility(buildTrajectory())).toEqual({ kept: true, failedChecks: [] });
  });

  describe('rule 1: early stop', () => {
    it.each(['max_steps', 'parse_failures', 'repeated_actions', 'repeated_typing'] as const)('rejects a trajectory early-stopped for %s', (reason) => {
      const trajectory = buildTrajectory({ outcome: { earlyStopReason: reason, answer: `Early stop: ${reason}` } });
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toContain('early_stopped');
    });

    it('rejects an answer that is the early-stop text even when the reason field was not set', () => {
      const trajectory = buildTrajectory({ outcome: { answer: 'Early stop: Reach max steps 30' } });
      expect(judgeTrajectoryPlausibility(trajectory)).toEqual({ kept: false, failedChecks: ['early_stopped'] });
    });
  });

  describe('rule 2: an action string occurring 3 or more times', () => {
    it('rejects three occurrences of one action even when they are not consecutive', () => {
      const trajectory = buildTrajectory({ steps: [
        { action: 'scroll [down]' }, { action: 'click [4]' }, { action: 'scroll [down]' }, { action: 'click [5]' },
        { action: 'scroll  [down]' }, { action: 'stop [42]' },
      ] });
      expect(judgeTrajectoryPlausibility(trajectory)).toEqual({ kept: false, failedChecks: ['repeated_action'] });
    });

    it('keeps a trajectory where every action occurs at most twice', () => {
      const trajectory = buildTrajectory({ steps: [
        { action: 'scroll [down]' }, { action: 'click [4]' }, { action: 'scroll [down]' }, { action: 'click [4]' }, { action: 'stop [42]' },
      ] });
      expect(judgeTrajectoryPlausibility(trajectory).kept).toBe(true);
    });
  });

  describe('rule 3: the final response says the task cannot be done', () => {
    it.each([
      'The requested order does not exist, so this task is impossible. In summary, the next action I will perform is ```stop [none]```',
      'This cannot be done on this site. In summary, the next action I will perform is ```stop [none]```',
      'I am unable to complete the task because the page has no such field. ```stop [none]```',
      'It is not possible to change the address here. ```stop [none]```',
    ])('rejects the final response %#', (response) => {
      const trajectory = buildTrajectory({ steps: [{ action: 'click [3]' }, { action: 'stop [none]', response }] });
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['declared_impossible']);
    });

    it('keeps a final response that merely mentions what could not be seen earlier but answers', () => {
      const response = 'The price was not visible at first, after searching it is $12.50. In summary, the next action I will perform is ```stop [$12.50]```';
      const trajectory = buildTrajectory({ steps: [{ action: 'click [3]' }, { action: 'stop [$12.50]', response }] });
      expect(judgeTrajectoryPlausibility(trajectory).kept).toBe(true);
    });

    it('reads the last step response when the outcome has no final response', () => {
      const response = 'Impossible to find. ```stop [none]```';
      const trajectory = buildTrajectory({ steps: [{ action: 'stop [none]', response }], outcome: { finalResponse: null } });
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['declared_impossible']);
    });
  });

  describe('rule 4: no real answer', () => {
    it.each([
      ['N/A', 'stop [N/A]'],
      ['n/a with quotes and spaces', 'stop [ "n/a" ]'],
      ['empty', 'stop []'],
      ['declined with an apology', "stop [I'm sorry, I cannot find that information]"],
      ['declined as unknown', 'stop [I don\u2019t know]'],
      ['declined as unable', 'stop [Unable to determine the answer]'],
    ])('rejects an answer that is %s', (_label, action) => {
      const trajectory = buildTrajectory({ steps: [{ action: 'click [3]' }, { action }] });
      expect(judgeTrajectoryPlausibility(trajectory)).toEqual({ kept: false, failedChecks: ['no_answer'] });
    });

    it.each(['0', 'None of the orders were cancelled: 3 orders', 'Sorrento Avenue 5'])('keeps a definite answer such as %j', (answer) => {
      const trajectory = buildTrajectory({ steps: [{ action: 'click [3]' }, { action: `stop [${answer}]` }] });
      expect(judgeTrajectoryPlausibility(trajectory).kept).toBe(true);
    });
  });

  describe('rule 5: unparsable steps', () => {
    it('rejects a trajectory with one unparsable response even if it recovered', () => {
      const trajectory = buildTrajectory({ steps: [{ action: 'click [3]' }, { action: null }, { action: 'stop [$12.50]' }] });
      expect(judgeTrajectoryPlausibility(trajectory)).toEqual({ kept: false, failedChecks: ['unparsable_step'] });
    });

    it('keeps a trajectory whose only invalid action pointed at a missing element', () => {
      const trajectory = buildTrajectory({ steps: [{ action: 'click [999]', invalidKind: 'missing_element' }, { action: 'stop [$12.50]' }] });
      expect(judgeTrajectoryPlausibility(trajectory).kept).toBe(true);
    });
  });

  describe('rule 6: incomplete records', () => {
    it('rejects a trajectory that ended in an environment error', () => {
      const trajectory = buildTrajectory({ outcome: { environmentError: 'net::ERR_CONNECTION_REFUSED at http://127.0.0.1:7770' } });
      expect(judgeTrajectoryPlausibility(trajectory)).toEqual({ kept: false, failedChecks: ['incomplete_record'] });
    });

    it('rejects a trajectory with no answer recorded', () => {
      const trajectory = buildTrajectory({ outcome: { answer: null } });
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['incomplete_record']);
    });

    it('rejects a trajectory with no steps', () => {
      const trajectory = buildTrajectory({ steps: [], outcome: { answer: '$12.50' } });
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toContain('incomplete_record');
    });

    it('rejects a trajectory with a missing step in the middle', () => {
      const trajectory = buildTrajectory();
      trajectory.steps = [trajectory.steps[0]!, trajectory.steps[2]!];
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['incomplete_record']);
    });

    it('rejects a step whose prompt was not recorded', () => {
      const trajectory = buildTrajectory();
      trajectory.steps[1] = { ...buildStep(1, { action: 'type [7] [blue mug] [1]' }), promptMessages: [] };
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['incomplete_record']);
    });

    it('rejects a step record that does not match the step schema', () => {
      const trajectory = buildTrajectory();
      (trajectory.steps[1] as unknown as Record<string, unknown>).promptTokens = -1;
      expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['incomplete_record']);
    });
  });

  it('lists every failed check in the rules order', () => {
    const trajectory = buildTrajectory({
      steps: [{ action: null }, { action: 'click [3]' }, { action: 'click [3]' }, { action: 'click [3]' }],
      outcome: { earlyStopReason: 'repeated_actions', answer: 'Early stop: Same action for 3 times', finalResponse: 'This is impossible.' },
    });
    expect(judgeTrajectoryPlausibility(trajectory).failedChecks).toEqual(['early_stopped', 'repeated_action', 'declared_impossible', 'unparsable_step']);
  });
});
