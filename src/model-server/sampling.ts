import type { RandomSource } from './seeded-random';

/** Decoding settings as a chat completion request gives them. */
export interface SamplingSettings {
  /** 0 is greedy; higher flattens the distribution. */
  temperature: number;
  /** Nucleus mass kept before sampling (1 keeps everything). */
  topP: number;
  random: RandomSource;
}

/** Softmax probabilities of scores at a temperature (temperature must be > 0). */
export function softmax(scores: readonly number[], temperature = 1): number[] {
  const scaled = scores.map((score) => score / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((value) => Math.exp(value - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/** Picks an index from scores: argmax at temperature 0, else a seeded draw from the top-p nucleus. */
export function sampleIndex(scores: readonly number[], settings: SamplingSettings): number {
  if (scores.length === 0) throw new Error('sampleIndex: no candidates to choose from');
  if (settings.temperature <= 0) {
    let best = 0;
    for (let index = 1; index < scores.length; index += 1) if ((scores[index] ?? -Infinity) > (scores[best] ?? -Infinity)) best = index;
    return best;
  }
  const probabilities = softmax(scores, settings.temperature);
  const order = probabilities.map((probability, index) => ({ probability, index })).sort((a, b) => b.probability - a.probability || a.index - b.index);
  const nucleus: typeof order = [];
  let mass = 0;
  for (const entry of order) {
    nucleus.push(entry);
    mass += entry.probability;
    if (mass >= settings.topP) break;
  }
  let draw = settings.random() * mass;
  for (const entry of nucleus) {
    draw -= entry.probability;
    if (draw <= 0) return entry.index;
  }
  return nucleus[nucleus.length - 1]?.index ?? 0;
}
