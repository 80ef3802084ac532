import type { EpisodeOutcome, StepRecord, Trajectory } from '../../src/domain/trajectory';

/** What a test says about one step: the action text (null = unparsable) and optionally the response. */
export interface StepSketch {
  action: string | null;
  response?: string;
  invalidKind?: StepRecord['invalidKind'];
}

/** A complete, schema-valid step record whose prompt and response are derived from the sketch. */
export function buildStep(index: number, sketch: StepSketch, objective = 'Find the price of the blue mug'): StepRecord {
  const url = `http://127.0.0.1:7770/page-${index}`;
  const observation = `Tab 0 (current): Page ${index}\n\n[${index + 1}] link 'Item ${index}'`;
  const previousAction = index === 0 ? 'None' : `step ${index - 1}`;
  const response = sketch.response ?? (sketch.action === null
    ? 'I am not sure what to do.'
    : `Let's think step by step. In summary, the next action I will perform is \`\`\`${sketch.action}\`\`\``);
  return {
    index,
    url,
    observation,
    objective,
    previousAction,
    promptMessages: [
      { role: 'system', content: 'You are an autonomous web agent.' },
      { role: 'user', content: `OBSERVATION:\n${observation}\nURL: ${url}\nOBJECTIVE: ${objective}\nPREVIOUS ACTION: ${previousAction}` },
    ],
    response,
    action: sketch.action === null ? null : { name: sketch.action.split(' [')[0] },
    actionText: sketch.action,
    actionDescription: sketch.action ?? 'unparsable output',
    valid: sketch.action !== null && sketch.invalidKind == null,
    invalidKind: sketch.invalidKind ?? (sketch.action === null ? 'unparsable' : null),
    error: sketch.action === null ? 'no fenced action' : null,
    promptTokens: 100,
    completionTokens: 20,
    timings: { modelMs: 10, actionMs: 5, observationMs: 5 },
  };
}

/** A plausible trajectory by default: click, type, stop [$12.50]; overrides change one thing at a time. */
export function buildTrajectory(overrides: {
  episodeId?: string;
  taskId?: string;
  intentTemplateId?: number;
  objective?: string;
  steps?: StepSketch[];
  outcome?: Partial<EpisodeOutcome>;
} = {}): Trajectory {
  const sketches = overrides.steps ?? [{ action: 'click [3]' }, { action: 'type [7] [blue mug] [1]' }, { action: 'stop [$12.50]' }];
  const taskId = overrides.taskId ?? '7';
  const objective = overrides.objective ?? `Find the price of the item of task ${taskId}`;
  const steps = sketches.map((sketch, index) => buildStep(index, sketch, objective));
  const lastAction = sketches.at(-1)?.action ?? null;
  const stopAnswer = lastAction?.startsWith('stop [') ? lastAction.slice('stop ['.length, -1) : null;
  const outcome: EpisodeOutcome = {
    answer: stopAnswer,
    finalResponse: steps.at(-1)?.response ?? null,
    finalUrl: steps.at(-1)?.url ?? null,
    earlyStopReason: null,
    environmentError: null,
    length: steps.length,
    invalidActionCount: steps.filter((step) => !step.valid).length,
    promptTokens: 100 * steps.length,
    completionTokens: 20 * steps.length,
    score: null,
    evaluatorVersion: null,
    evaluatorDetails: [],
    ...overrides.outcome,
  };
  return {
    episodeId: overrides.episodeId ?? 'run-1/round-1/rollout/task-7/0',
    taskId,
    intentTemplateId: overrides.intentTemplateId ?? 70,
    steps,
    outcome,
  };
}
