import { z } from 'zod';
import type { ChatMessage } from '../domain/trajectory';
import { rejectReply, type ReplyCheck } from './reply-check';

export const OOD_PLAN_INSTRUCTION = 'You plan how a web-browsing agent carries out a task.';

/** The verbs a plan step may start with. */
export const PLAN_VERBS = ['click', 'type', 'scroll', 'stop'] as const;

export const planStepSchema = z.strictObject({ verb: z.enum(PLAN_VERBS), description: z.string().min(1) });
export type PlanStep = z.infer<typeof planStepSchema>;

export const oodPlanInputSchema = z.strictObject({ website: z.string().min(1), objective: z.string().min(1) });
export type OodPlanInput = z.infer<typeof oodPlanInputSchema>;

const MAX_PLAN_STEPS = 15;

/** Messages asking for the plan: one action per numbered line, ending with stop. */
export function buildOodPlanMessages(input: OodPlanInput): ChatMessage[] {
  const { website, objective } = oodPlanInputSchema.parse(input);
  return [
    { role: 'system', content: `${OOD_PLAN_INSTRUCTION} Each step is one action: click, type, scroll or stop.` },
    {
      role: 'user',
      content: [
        `WEBSITE: ${website}`,
        `OBJECTIVE: ${objective}`,
        '',
        `List the steps, one per numbered line, each starting with its action word (${PLAN_VERBS.join(', ')}), e.g.`,
        '1. type the product name into the search box',
        'The last step is stop, with the answer if the objective asks a question. Reply with the numbered lines only.',
      ].join('\n'),
    },
  ];
}

/** Renders a plan as the numbered lines the prompts use. */
export function formatPlan(steps: readonly PlanStep[]): string {
  return steps.map((step, index) => `${index + 1}. ${step.verb} ${step.description}`).join('\n');
}

/** Checks a reply: 1-15 numbered lines, each starting with an allowed verb, the last one stop. */
export function parseOodPlanReply(reply: string): ReplyCheck<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const line of reply.split('\n').map((text) => text.trim()).filter((text) => /^\d+[.)]\s/.test(text))) {
    const body = line.replace(/^\d+[.)]\s+/, '');
    const verb = body.split(/\s+/)[0]?.toLowerCase() ?? '';
    const parsed = planStepSchema.safeParse({ verb, description: body.slice(verb.length).trim() || verb });
    if (!parsed.success) return rejectReply(`plan step '${line}' does not start with one of ${PLAN_VERBS.join(', ')}`);
    steps.push(parsed.data);
  }
  if (steps.length === 0) return rejectReply('the plan has no numbered steps');
  if (steps.length > MAX_PLAN_STEPS) return rejectReply(`the plan has ${steps.length} steps, more than ${MAX_PLAN_STEPS}`);
  if (steps[steps.length - 1]?.verb !== 'stop') return rejectReply('the last plan step is not stop');
  return { ok: true, value: steps };
}
