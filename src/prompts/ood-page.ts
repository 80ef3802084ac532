import { z } from 'zod';
import type { ChatMessage } from '../domain/trajectory';
import { rejectReply, type ReplyCheck } from './reply-check';

export const OOD_PAGE_INSTRUCTION = 'You imagine the accessibility tree of a web page.';

export const oodPageInputSchema = z.strictObject({
  website: z.string().min(1),
  objective: z.string().min(1),
  url: z.string().min(1),
  previousAction: z.string(),
  nextResponse: z.string().min(1),
  /** The id the next action uses; the page must contain it. Null when the action uses no element. */
  requiredId: z.string().regex(/^\d+$/).nullable(),
});
export type OodPageInput = z.infer<typeof oodPageInputSchema>;

const NODE_LINE = /^\t*\[(\d+)\] \S+ '.*'/;
const MIN_NODES = 3;

/** Messages asking for a realistic accessibility-tree observation of the page at that URL. */
export function buildOodPageMessages(input: OodPageInput): ChatMessage[] {
  const { website, objective, url, previousAction, nextResponse, requiredId } = oodPageInputSchema.parse(input);
  return [
    {
      role: 'system',
      content: `${OOD_PAGE_INSTRUCTION} Write it the way a browser agent observes it: a first line 'Tab 0 (current): <page title>', a blank line, then one line per element, indented with tabs, like [1234] link 'Sign in' or [1240] textbox 'Search' required: False.`,
    },
    {
      role: 'user',
      content: [
        `WEBSITE: ${website}`,
        `OBJECTIVE: ${objective}`,
        `URL: ${url}`,
        `PREVIOUS ACTION: ${previousAction}`,
        'NEXT ACTION:',
        nextResponse,
        '',
        requiredId ? `Write the page the agent sees before the next action. It must contain the element [${requiredId}] that the next action uses.` : 'Write the page the agent sees before the next action.',
        'Reply with the observation only.',
      ].join('\n'),
    },
  ];
}

/** Checks a reply: a tab header, at least three node lines with unique ids, and the required id among them. Returns the observation text. */
export function parseOodPageReply(reply: string, requiredId: string | null): ReplyCheck<string> {
  const lines = reply.replace(/```[a-z]*\n?/g, '').split('\n').map((line) => line.replace(/\s+$/, ''));
  const header = lines.find((line) => /^Tab 0 \(current\): /.test(line));
  if (!header) return rejectReply("the page has no 'Tab 0 (current): <title>' line");
  const nodes = lines.filter((line) => NODE_LINE.test(line));
  if (nodes.length < MIN_NODES) return rejectReply(`the page has ${nodes.length} element lines, fewer than ${MIN_NODES}`);
  const ids = nodes.map((line) => NODE_LINE.exec(line)?.[1] ?? '');
  if (new Set(ids).size !== ids.length) return rejectReply('the page repeats an element id');
  if (requiredId !== null && !ids.includes(requiredId)) return rejectReply(`the page does not contain the element [${requiredId}] the next action uses`);
  return { ok: true, value: [header, '', ...nodes].join('\n') };
}
