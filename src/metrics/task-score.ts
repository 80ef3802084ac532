import { z } from 'zod';

/** One task's execution-based score for one model (WebArena scores are 0 or 1). */
export const taskScoreSchema = z.strictObject({
  taskId: z.string().min(1),
  intentTemplateId: z.number().int(),
  score: z.number().min(0).max(1),
});
export type TaskScore = z.infer<typeof taskScoreSchema>;

/** A task counts as solved only with a full score. */
export function isSolved(score: TaskScore): boolean {
  return score.score >= 1;
}

/** Throws when a task id appears twice; `label` names the score list in the error. */
export function assertUniqueTaskIds(scores: readonly TaskScore[], label: string): void {
  const seen = new Set<string>();
  for (const score of scores) {
    if (seen.has(score.taskId)) throw new RangeError(`${label}: task ${score.taskId} is scored more than once`);
    seen.add(score.taskId);
  }
}
