import { z } from 'zod';
import type { ChatMessage } from '../domain/trajectory';
import { formatPlan, planStepSchema } from './ood-plan';
import { rejectReply, singleLabelledLine, type ReplyCheck } from './reply-check';

export const OOD_URL_INSTRUCTION = 'You imagine the web pages a browsing agent passes through.';

export const oodUrlInputSchema = z.strictObject({
  website: z.string().min(1),
  objective: z.string().min(1),
  plan: z.array(planStepSchema).min(1),
  /** 0-based index of the plan step whose page is wanted. */
  stepIndex: z.number().int().nonnegative(),
});
export type OodUrlInput = z.infer<typeof oodUrlInputSchema>;

/** Messages asking for a realistic URL of the page the agent is on when it carries out plan step k. */
export function buildOodUrlMessages(input: OodUrlInput): ChatMessage[] {
  const { website, objective, plan, stepIndex } = oodUrlInputSchema.parse(input);
  if (stepIndex >= plan.length) throw new Error(`buildOodUrlMessages: step ${stepIndex + 1} is beyond the ${plan.length}-step plan`);
  return [
    { role: 'system', content: `${OOD_URL_INSTRUCTION} URLs look like the real website's.` },
    {
      role: 'user',
      content: [`WEBSITE: ${website}`, `OBJECTIVE: ${objective}`, 'PLAN:', formatPlan(plan), `STEP: ${stepIndex + 1}`, '', 'Write the URL of the page the agent is looking at when it carries out that step.', 'Reply with one line: URL: <the url>'].join('\n'),
    },
  ];
}

/** Checks a reply: exactly one URL line holding an absolute http(s) URL. */
export function parseOodUrlReply(reply: string): ReplyCheck<string> {
  const line = singleLabelledLine(reply, 'URL');
  if (!line.ok) return line;
  try {
    const url = new URL(line.value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return rejectReply(`the URL '${line.value}' is not http(s)`);
    return { ok: true, value: url.toString() };
  } catch {
    return rejectReply(`'${line.value}' is not an absolute URL`);
  }
}
