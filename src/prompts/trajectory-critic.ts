import { z } from 'zod';
import type { ChatMessage } from '../domain/trajectory';
import { rejectReply, type ReplyCheck } from './reply-check';

export const TRAJECTORY_CRITIC_INSTRUCTION = 'You review the work of a web-browsing agent.';

export const trajectoryCriticInputSchema = z.strictObject({
  objective: z.string().min(1),
  steps: z.array(z.strictObject({ url: z.string(), action: z.string() })).min(1),
  /** The stop answer, or null when the episode ended without one. */
  answer: z.string().nullable(),
});
export type TrajectoryCriticInput = z.infer<typeof trajectoryCriticInputSchema>;

export const criticVerdictSchema = z.enum(['plausible', 'implausible']);
export type CriticVerdict = z.infer<typeof criticVerdictSchema>;

/** Messages asking whether a trajectory plausibly accomplished its objective; the verdict goes on the last line. */
export function buildTrajectoryCriticMessages(input: TrajectoryCriticInput): ChatMessage[] {
  const { objective, steps, answer } = trajectoryCriticInputSchema.parse(input);
  return [
    { role: 'system', content: `${TRAJECTORY_CRITIC_INSTRUCTION} You cannot see the pages, only the actions; judge whether the work plausibly accomplishes the objective.` },
    {
      role: 'user',
      content: [
        `OBJECTIVE: ${objective}`,
        'STEPS:',
        ...steps.map((step, index) => `${index + 1}. ${step.action} (at ${step.url})`),
        `FINAL ANSWER: ${answer ?? '(none)'}`,
        '',
        'Reason briefly, then end with one line: VERDICT: plausible or VERDICT: implausible',
      ].join('\n'),
    },
  ];
}

/** Reads the verdict from the reply's last non-empty line. */
export function parseTrajectoryCriticReply(reply: string): ReplyCheck<CriticVerdict> {
  const last = reply.split('\n').map((line) => line.trim()).filter((line) => line !== '').at(-1) ?? '';
  const match = /^verdict:\s*(plausible|implausible)\.?$/i.exec(last);
  if (!match) return rejectReply(`the last line '${last.slice(0, 80)}' is not 'VERDICT: plausible' or 'VERDICT: implausible'`);
  return { ok: true, value: criticVerdictSchema.parse(match[1]?.toLowerCase()) };
}
