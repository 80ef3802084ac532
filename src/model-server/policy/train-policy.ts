import { readAgentPrompt } from '../agent-prompt';
import { createSeededRandom } from '../seeded-random';
import { softmax } from '../sampling';
import { candidateActions, featuresOfUnproposedAction, type FeatureVector } from './candidate-actions';
import { readResponseAction, renderAction, type PolicyAction } from './policy-action';
import { buildPolicyContext } from './policy-context';
import type { Demonstration, PolicyParameters, TextRecall } from './policy-model';
import { Policy, objectiveKeyOf, pageSignatureOf, promptKeyOf, urlKeyOf } from './policy';

/** One training example: the prompt messages and the demonstrated reply. */
export interface ChatExample {
  prompt: Array<{ role: string; content: string }>;
  response: string;
}

/** Progress after each epoch. */
export interface EpochReport {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number | null;
  validationAccuracy: number | null;
}

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  /** Epochs without validation-loss improvement before stopping early (only with validation examples). */
  patience: number;
  seed: number;
  /** Checked between batches; returning true abandons training. */
  shouldStop: () => boolean;
  onEpoch?: (report: EpochReport) => void;
}

export interface TrainingResult {
  parameters: PolicyParameters;
  epochsRun: number;
  stoppedEarly: boolean;
  agentExamples: number;
  textExamples: number;
  reports: EpochReport[];
}

/** Raised when training is abandoned because the job was cancelled. */
export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';
}

interface PreparedExample {
  candidates: FeatureVector[];
  target: number;
}

function sameAction(a: PolicyAction, b: PolicyAction): boolean {
  if (a.kind === 'stop' && b.kind === 'stop') return a.answer.trim().toLowerCase() === b.answer.trim().toLowerCase();
  if (a.kind === 'type' && b.kind === 'type') return a.elementId === b.elementId && a.text.trim().toLowerCase() === b.text.trim().toLowerCase();
  return renderAction(a) === renderAction(b);
}

function demonstrationOf(example: ChatExample): Demonstration | null {
  const view = readAgentPrompt(example.prompt);
  const action = readResponseAction(example.response);
  if (!view || !action) return null;
  const context = buildPolicyContext(view);
  const targetNode = 'elementId' in action ? view.observation.nodes.find((node) => node.id === action.elementId) : undefined;
  return {
    objective: view.objective,
    urlKey: urlKeyOf(view.url),
    previousKind: context.previousKind,
    page: pageSignatureOf(view),
    target: targetNode ? { id: targetNode.id, role: targetNode.role, name: targetNode.name } : null,
    actionText: renderAction(action),
    response: example.response,
  };
}

/** Maps an agent example onto the policy's candidates on its page: the demonstrated action is the target class. */
function prepare(memory: Policy, example: ChatExample): PreparedExample | null {
  const view = readAgentPrompt(example.prompt);
  const action = readResponseAction(example.response);
  if (!view || !action) return null;
  const context = buildPolicyContext(view);
  // Hints exclude the example's own objective, so the scorer learns how far other tasks' answers carry over.
  const candidates = candidateActions(context, memory.recallHints(view.objective, objectiveKeyOf(view.objective)));
  let target = candidates.findIndex((candidate) => sameAction(candidate.action, action));
  const features = candidates.map((candidate) => candidate.features);
  if (target < 0) {
    features.push(featuresOfUnproposedAction(context, action));
    target = features.length - 1;
  }
  return { candidates: features, target };
}

function lossAndAccuracy(weights: Map<string, number>, examples: readonly PreparedExample[]): { loss: number; accuracy: number } {
  if (examples.length === 0) return { loss: 0, accuracy: 0 };
  let loss = 0;
  let correct = 0;
  for (const example of examples) {
    const scores = example.candidates.map((features) => scoreWith(weights, features));
    const probabilities = softmax(scores);
    loss -= Math.log(Math.max(1e-12, probabilities[example.target] ?? 0));
    const best = scores.indexOf(Math.max(...scores));
    if (best === example.target) correct += 1;
  }
  return { loss: loss / examples.length, accuracy: correct / examples.length };
}

function scoreWith(weights: Map<string, number>, features: FeatureVector): number {
  let total = 0;
  for (const [name, value] of features) total += (weights.get(name) ?? 0) * value;
  return total;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Fits a policy to chat examples: agent steps train the softmax scorer by SGD on cross-entropy of the
 * demonstrated action among the page's candidates (and join the recall memory); other prompts join
 * the text-recall memory. Starts from the parent's parameters.
 */
export async function trainPolicy(parent: PolicyParameters, train: readonly ChatExample[], validation: readonly ChatExample[], options: TrainingOptions): Promise<TrainingResult> {
  const demonstrations: Demonstration[] = [...parent.demonstrations];
  const textRecall: TextRecall[] = [...parent.textRecall];
  let agentExamples = 0;
  for (const example of train) {
    const demonstration = demonstrationOf(example);
    if (demonstration) {
      demonstrations.push(demonstration);
      agentExamples += 1;
    } else {
      textRecall.push({ prompt: promptKeyOf(example.prompt), response: example.response });
    }
  }
  const memory = new Policy({ format: 'ratchet-policy/1', weights: parent.weights, demonstrations, textRecall: [] });
  const prepared: PreparedExample[] = [];
  for (const [index, example] of train.entries()) {
    const item = prepare(memory, example);
    if (item) prepared.push(item);
    if (index % 100 === 99) {
      await yieldToEventLoop();
      if (options.shouldStop()) throw new TrainingCancelledError('training cancelled while preparing examples');
    }
  }
  const preparedValidation = validation.map((example) => prepare(memory, example)).filter((item): item is PreparedExample => item !== null);

  const weights = new Map(Object.entries(parent.weights));
  const random = createSeededRandom(options.seed);
  const reports: EpochReport[] = [];
  let best = { loss: Infinity, weights: new Map(weights), epoch: 0 };
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
    const order = prepared.map((_, index) => index);
    for (let index = order.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap] ?? 0, order[index] ?? 0];
    }
    for (const [position, exampleIndex] of order.entries()) {
      const example = prepared[exampleIndex];
      if (!example) continue;
      const probabilities = softmax(example.candidates.map((features) => scoreWith(weights, features)));
      example.candidates.forEach((features, candidateIndex) => {
        const gradient = (probabilities[candidateIndex] ?? 0) - (candidateIndex === example.target ? 1 : 0);
        if (Math.abs(gradient) < 1e-6) return;
        for (const [name, value] of features) weights.set(name, (weights.get(name) ?? 0) - options.learningRate * gradient * value);
      });
      if (position % 200 === 199) {
        await yieldToEventLoop();
        if (options.shouldStop()) throw new TrainingCancelledError(`training cancelled in epoch ${epoch}`);
      }
    }
    const trainMetrics = lossAndAccuracy(weights, prepared);
    const validationMetrics = preparedValidation.length > 0 ? lossAndAccuracy(weights, preparedValidation) : null;
    const report: EpochReport = { epoch, trainLoss: trainMetrics.loss, trainAccuracy: trainMetrics.accuracy, validationLoss: validationMetrics?.loss ?? null, validationAccuracy: validationMetrics?.accuracy ?? null };
    reports.push(report);
    options.onEpoch?.(report);
    if (validationMetrics) {
      if (validationMetrics.loss < best.loss - 1e-9) best = { loss: validationMetrics.loss, weights: new Map(weights), epoch };
      else if (epoch - best.epoch >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
    await yieldToEventLoop();
    if (options.shouldStop()) throw new TrainingCancelledError(`training cancelled after epoch ${epoch}`);
  }
  const finalWeights = preparedValidation.length > 0 && best.epoch > 0 ? best.weights : weights;
  const rounded: Record<string, number> = {};
  for (const [name, value] of finalWeights) if (Math.abs(value) > 1e-6) rounded[name] = Math.round(value * 1e6) / 1e6;
  return {
    parameters: { format: 'ratchet-policy/1', weights: rounded, demonstrations, textRecall },
    epochsRun: reports.length,
    stoppedEarly,
    agentExamples,
    textExamples: train.length - agentExamples,
    reports,
  };
}
