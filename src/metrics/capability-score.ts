import { capabilityIdByTemplate, type CapabilityGroup } from './capability-groups';
import { isSolved, type TaskScore } from './task-score';

/** Which capabilities a model has: a capability counts when at least one of its tasks is solved. */
export interface CapabilityScore {
  /** Number of capabilities with a solved task. */
  score: number;
  /** Number of capabilities that had at least one scored task. */
  evaluated: number;
  solvedCapabilityIds: number[];
}

/** Capabilities gained and lost between two models (self-improvement does both). */
export interface CapabilityChange {
  gained: number[];
  lost: number[];
  kept: number[];
}

/** Capability score of one model's task scores under the given grouping. */
export function scoreCapabilities(scores: readonly TaskScore[], groups: readonly CapabilityGroup[]): CapabilityScore {
  const byTemplate = capabilityIdByTemplate(groups);
  const evaluated = new Set<number>();
  const solved = new Set<number>();
  for (const score of scores) {
    const capabilityId = byTemplate.get(score.intentTemplateId);
    if (capabilityId === undefined) {
      throw new RangeError(`scoreCapabilities: task ${score.taskId} has template ${score.intentTemplateId}, which no capability group holds`);
    }
    evaluated.add(capabilityId);
    if (isSolved(score)) solved.add(capabilityId);
  }
  const solvedCapabilityIds = [...solved].sort((a, b) => a - b);
  return { score: solvedCapabilityIds.length, evaluated: evaluated.size, solvedCapabilityIds };
}

/** Capabilities `after` has that `before` lacks (gained), and the reverse (lost). */
export function compareCapabilities(before: CapabilityScore, after: CapabilityScore): CapabilityChange {
  const had = new Set(before.solvedCapabilityIds);
  const has = new Set(after.solvedCapabilityIds);
  return {
    gained: after.solvedCapabilityIds.filter((id) => !had.has(id)),
    lost: before.solvedCapabilityIds.filter((id) => !has.has(id)),
    kept: after.solvedCapabilityIds.filter((id) => had.has(id)),
  };
}
