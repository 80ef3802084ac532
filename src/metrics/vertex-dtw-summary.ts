/** One task's VERTEX_DTW scores, one per successful reference trajectory. */
export interface TaskVertexDtwScores {
  taskId: string;
  capabilityId: number;
  /** Scores against each successful reference; empty when the task has none (then it is not scored). */
  referenceScores: readonly number[];
}

/** VERTEX_DTW reported the four ways METHOD.md asks for. */
export interface VertexDtwSummary {
  /** Each scored task's score: the maximum over its successful references. */
  taskScores: Array<{ taskId: string; capabilityId: number; score: number }>;
  unscoredTaskIds: string[];
  /** Mean over scored tasks (null when none). */
  mean: number | null;
  /** Max over each capability's scored tasks, then the mean over capabilities. */
  byCapability: number | null;
  meanWithoutTrivial: number | null;
  byCapabilityWithoutTrivial: number | null;
}

/** Aggregates per-reference VERTEX_DTW scores into task, capability and trivial-free means. */
export function summarizeVertexDtw(
  tasks: readonly TaskVertexDtwScores[],
  trivialTaskIds: ReadonlySet<string>,
): VertexDtwSummary {
  const seen = new Set<string>();
  const taskScores: VertexDtwSummary['taskScores'] = [];
  const unscoredTaskIds: string[] = [];
  for (const task of tasks) {
    if (seen.has(task.taskId)) throw new RangeError(`summarizeVertexDtw: task ${task.taskId} is listed twice`);
    seen.add(task.taskId);
    const invalid = task.referenceScores.find((score) => !Number.isFinite(score));
    if (invalid !== undefined) throw new RangeError(`summarizeVertexDtw: task ${task.taskId} has a non-finite score (${invalid})`);
    if (task.referenceScores.length === 0) unscoredTaskIds.push(task.taskId);
    else taskScores.push({ taskId: task.taskId, capabilityId: task.capabilityId, score: Math.max(...task.referenceScores) });
  }
  const nonTrivial = taskScores.filter((task) => !trivialTaskIds.has(task.taskId));
  return {
    taskScores,
    unscoredTaskIds,
    mean: meanOrNull(taskScores.map((task) => task.score)),
    byCapability: capabilityMean(taskScores),
    meanWithoutTrivial: meanOrNull(nonTrivial.map((task) => task.score)),
    byCapabilityWithoutTrivial: capabilityMean(nonTrivial),
  };
}

function capabilityMean(taskScores: ReadonlyArray<{ capabilityId: number; score: number }>): number | null {
  const best = new Map<number, number>();
  for (const task of taskScores) best.set(task.capabilityId, Math.max(best.get(task.capabilityId) ?? -Infinity, task.score));
  return meanOrNull([...best.values()]);
}

function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}
