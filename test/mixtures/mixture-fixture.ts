import type { Trajectory } from '../../src/domain/trajectory';
import type { SyntheticExample } from '../../src/mixtures';
import { buildTrajectory, type StepSketch } from '../critique/trajectory-fixture';

/** `count` kept trajectories of `length` steps, one per task, labelled with the round. */
export function keptTrajectories(count: number, options: { round?: number; length?: number; firstTask?: number } = {}): Trajectory[] {
  const length = options.length ?? 3;
  return Array.from({ length: count }, (_, offset) => {
    const task = (options.firstTask ?? 0) + offset;
    const steps: StepSketch[] = Array.from({ length: length - 1 }, (_, index) => ({ action: `click [${task * 100 + index}]` }));
    steps.push({ action: `stop [answer ${task}]` });
    return buildTrajectory({
      episodeId: `run/round-${options.round ?? 1}/train/task-${task}/0`,
      taskId: String(task),
      intentTemplateId: 1000 + (task % 5),
      steps,
    });
  });
}

/** `count` distinct synthetic OOD examples. */
export function syntheticExamples(count: number, options: { prefix?: string; provenance?: Record<string, unknown> } = {}): SyntheticExample[] {
  const prefix = options.prefix ?? 'ood';
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    messages: [
      { role: 'system', content: 'You are an autonomous web agent.' },
      { role: 'user', content: `OBSERVATION:\n[${index}] button 'Buy ticket ${index}'\nURL: https://trains.example/${index}\nOBJECTIVE: Book ticket ${index}\nPREVIOUS ACTION: None` },
    ],
    response: `In summary, the next action I will perform is \`\`\`click [${index}]\`\`\``,
    provenance: { generator: 'test', ...options.provenance },
  }));
}
