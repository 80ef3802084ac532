import { z } from 'zod';
import type { ChatMessage } from '../domain/trajectory';
import { rejectReply, singleLabelledLine, type ReplyCheck } from './reply-check';

/** The line that tells a model (and the local model server) which job this prompt is. */
export const OOD_OBJECTIVE_INSTRUCTION = 'You invent new tasks for a web-browsing agent.';

export const oodObjectiveInputSchema = z.strictObject({
  /** Example objectives: up to 4 in-domain ones, then up to 2 earlier synthetic ones. */
  examples: z.array(z.string().min(1)).min(1).max(8),
  /** Websites the new task must not use (the in-domain ones). */
  avoidWebsites: z.array(z.string()).default([]),
});
export type OodObjectiveInput = z.input<typeof oodObjectiveInputSchema>;

export const oodObjectiveSchema = z.strictObject({ website: z.string().min(2), objective: z.string().min(8) });
export type OodObjective = z.infer<typeof oodObjectiveSchema>;

/** Messages asking for one new objective on a different real website, with a definite answer or end state. */
export function buildOodObjectiveMessages(input: OodObjectiveInput): ChatMessage[] {
  const { examples, avoidWebsites } = oodObjectiveInputSchema.parse(input);
  const avoid = avoidWebsites.length > 0 ? ` It must not be one of: ${avoidWebsites.join(', ')}.` : '';
  return [
    { role: 'system', content: `${OOD_OBJECTIVE_INSTRUCTION} A good task is one concrete thing a person could do on a real website in a few clicks, with one definite answer or one clear end state.` },
    {
      role: 'user',
      content: [
        'Example objectives:',
        ...examples.map((example, index) => `${index + 1}. ${example}`),
        '',
        `Write one new objective in the same style for a different real website.${avoid}`,
        'Reply with exactly these two lines and nothing else:',
        'WEBSITE: <the website name and domain>',
        'OBJECTIVE: <the objective>',
      ].join('\n'),
    },
  ];
}

/** Checks a reply: one WEBSITE line, one OBJECTIVE line of at least three words, not a copy of an example. */
export function parseOodObjectiveReply(reply: string, examples: readonly string[] = []): ReplyCheck<OodObjective> {
  const website = singleLabelledLine(reply, 'WEBSITE');
  if (!website.ok) return website;
  const objective = singleLabelledLine(reply, 'OBJECTIVE');
  if (!objective.ok) return objective;
  if (objective.value.split(/\s+/).length < 3) return rejectReply('the objective is shorter than three words');
  const normalised = objective.value.toLowerCase().trim();
  if (examples.some((example) => example.toLowerCase().trim() === normalised)) return rejectReply('the objective copies one of the examples');
  const parsed = oodObjectiveSchema.safeParse({ website: website.value, objective: objective.value });
  return parsed.success ? { ok: true, value: parsed.data } : rejectReply(parsed.error.issues[0]?.message ?? 'invalid objective');
}
