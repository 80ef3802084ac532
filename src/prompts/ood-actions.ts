import { z } from 'zod';
import { parseAction } from '../actions/parse-action';
import type { ParsedAction } from '../actions/parsed-action';
import type { ChatMessage } from '../domain/trajectory';
import { formatPlan, planStepSchema } from './ood-plan';
import { rejectReply, singleLabelledLine, type ReplyCheck } from './reply-check';

export const OOD_ACTIONS_INSTRUCTION = 'You write example steps of a web-browsing agent.';

/** The phrase that introduces the fenced action in an agent response. */
export const SUMMARY_PHRASE = 'In summary, the next action I will perform is';

/** Actions a synthetic next action may use (the plan's verbs plus their close relatives). */
export const OOD_ALLOWED_ACTIONS: ReadonlySet<ParsedAction['name']> = new Set(['click', 'type', 'scroll', 'stop', 'hover', 'press']);

export const oodActionsInputSchema = z.strictObject({
  website: z.string().min(1),
  objective: z.string().min(1),
  url: z.string().min(1),
  plan: z.array(planStepSchema).min(1),
  stepIndex: z.number().int().nonnegative(),
  /** Two real (previous action, response) pairs from filtered in-domain steps. */
  examples: z.array(z.strictObject({ previousAction: z.string(), response: z.string() })).max(4),
});
export type OodActionsInput = z.infer<typeof oodActionsInputSchema>;

export interface OodActions {
  previousAction: string;
  /** The chain-of-thought response ending in one fenced action. */
  response: string;
  action: ParsedAction;
}

/** Messages asking for the previous action and a next-action response that carries out plan step k. */
export function buildOodActionsMessages(input: OodActionsInput): ChatMessage[] {
  const { website, objective, url, plan, stepIndex, examples } = oodActionsInputSchema.parse(input);
  if (stepIndex >= plan.length) throw new Error(`buildOodActionsMessages: step ${stepIndex + 1} is beyond the ${plan.length}-step plan`);
  const shown = examples.flatMap((example, index) => [`Example ${index + 1}:`, `PREVIOUS ACTION: ${example.previousAction}`, 'NEXT ACTION:', example.response, '']);
  return [
    {
      role: 'system',
      content: `${OOD_ACTIONS_INSTRUCTION} Actions use element ids in square brackets: click [id], type [id] [text] [1], scroll [down], stop [answer]. A response reasons briefly, then says "${SUMMARY_PHRASE}" followed by exactly one action in a \`\`\` fence.`,
    },
    {
      role: 'user',
      content: [
        ...shown,
        `WEBSITE: ${website}`,
        `OBJECTIVE: ${objective}`,
        `URL: ${url}`,
        'PLAN:',
        formatPlan(plan),
        `STEP: ${stepIndex + 1}`,
        '',
        'Write the action the agent took just before that step (or None for the first step), then the response that carries out that step.',
        'Reply in this format:',
        'PREVIOUS ACTION: <the previous action>',
        'NEXT ACTION:',
        '<the response>',
      ].join('\n'),
    },
  ];
}

/** Checks a reply: one PREVIOUS ACTION line, one NEXT ACTION section holding one fenced, allowed action with numeric ids. */
export function parseOodActionsReply(reply: string): ReplyCheck<OodActions> {
  const previous = singleLabelledLine(reply, 'PREVIOUS ACTION');
  if (!previous.ok) return previous;
  const markers = reply.match(/^\s*NEXT ACTION:/gim) ?? [];
  if (markers.length !== 1) return rejectReply(`expected exactly one 'NEXT ACTION:' section, found ${markers.length}`);
  const response = reply.slice(reply.search(/^\s*NEXT ACTION:/im)).replace(/^\s*NEXT ACTION:/i, '').trim();
  const fences = (response.match(/```/g) ?? []).length;
  if (fences !== 2) return rejectReply(`the response must hold exactly one fenced action, found ${fences} fence markers`);
  if (!response.includes(SUMMARY_PHRASE)) return rejectReply(`the response does not say '${SUMMARY_PHRASE}'`);
  const parsed = parseAction(response);
  if (!parsed.valid) return rejectReply(`the fenced action does not parse: ${parsed.error}`);
  if (!OOD_ALLOWED_ACTIONS.has(parsed.action.name)) return rejectReply(`the action '${parsed.action.name}' is not allowed here`);
  return { ok: true, value: { previousAction: previous.value, response, action: parsed.action } };
}
