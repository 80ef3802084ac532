import { z } from 'zod';

/** One demonstrated agent step, kept for nearest-neighbour recall. */
export const demonstrationSchema = z.strictObject({
  objective: z.string(),
  /** URL without scheme and host, so demonstrations survive sites moving ports. */
  urlKey: z.string(),
  previousKind: z.string(),
  /** `role:name` of the page's nodes, to tell near-identical pages apart. */
  page: z.array(z.string()),
  /** The element the action used, found again on a new page by role and name. */
  target: z.strictObject({ id: z.string(), role: z.string(), name: z.string() }).nullable(),
  actionText: z.string(),
  response: z.string(),
});
export type Demonstration = z.infer<typeof demonstrationSchema>;

/** A demonstrated reply to a prompt that is not an agent step (judges, critics, generators). */
export const textRecallSchema = z.strictObject({ prompt: z.string(), response: z.string() });
export type TextRecall = z.infer<typeof textRecallSchema>;

/** Everything a trained policy is: scorer weights plus its recall memory. Stored as JSON. */
export const policyParametersSchema = z.strictObject({
  format: z.literal('ratchet-policy/1'),
  weights: z.record(z.string(), z.number()),
  demonstrations: z.array(demonstrationSchema),
  textRecall: z.array(textRecallSchema),
});
export type PolicyParameters = z.infer<typeof policyParametersSchema>;
