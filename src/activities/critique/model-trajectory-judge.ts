// The optional second critic: a chat model answers the trajectory-critic prompt at temperature 0.
// A reply without a readable verdict is asked again a few times, then counted as implausible with
// the reason recorded (a judge that cannot answer must not let a trajectory through). Model call
// errors are not caught here: the activity turns them into Temporal failures and is retried.
import type OpenAI from 'openai';
import type { Trajectory } from '../../domain/trajectory';
import type { TrajectoryJudge, TrajectoryJudgment } from '../../critique';
import { buildTrajectoryCriticMessages, parseTrajectoryCriticReply, type TrajectoryCriticInput } from '../../prompts/trajectory-critic';

/** Format-check attempts per trajectory before the judge's answer counts as implausible. */
export const JUDGE_FORMAT_ATTEMPTS = 3;

/** The critic prompt's input for a trajectory: the objective, each step's action and URL, the stop answer. */
export function trajectoryCriticInput(trajectory: Trajectory): TrajectoryCriticInput | null {
  const first = trajectory.steps[0];
  if (!first || first.objective.trim() === '') return null;
  return {
    objective: first.objective,
    steps: trajectory.steps.map((step) => ({ url: step.url, action: step.actionText ?? `(unparsable response) ${step.actionDescription}`.trim() })),
    answer: trajectory.outcome.answer,
  };
}

/** A TrajectoryJudge over the trajectory-critic prompt; `reason` holds the verdict's explanation or why none was read. */
export function createModelTrajectoryJudge(input: { client: OpenAI; model: string; maxAttempts?: number }): TrajectoryJudge {
  const maxAttempts = input.maxAttempts ?? JUDGE_FORMAT_ATTEMPTS;
  return {
    async judge(trajectory: Trajectory): Promise<TrajectoryJudgment> {
      const criticInput = trajectoryCriticInput(trajectory);
      if (!criticInput) return { plausible: false, reason: `episode ${trajectory.episodeId} has no steps with an objective to judge` };
      const messages = buildTrajectoryCriticMessages(criticInput);
      let lastError = 'no reply';
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        const completion = await input.client.chat.completions.create({ model: input.model, messages, temperature: 0, max_tokens: 512, seed: attempt });
        const reply = completion.choices[0]?.message.content ?? '';
        const checked = parseTrajectoryCriticReply(reply);
        if (checked.ok) {
          const reasoning = reply.trim().split('\n').slice(0, -1).join('\n').trim();
          return { plausible: checked.value === 'plausible', reason: reasoning === '' ? `VERDICT: ${checked.value}` : reasoning.slice(0, 2_000) };
        }
        lastError = checked.error;
      }
      return { plausible: false, reason: `no valid verdict in ${maxAttempts} attempts (last: ${lastError})` };
    },
  };
}
