import { hashString } from './seeded-random';
import { wordsOf } from './text-words';

/** Dimension of every embedding the local model server returns. */
export const EMBEDDING_DIMENSIONS = 256;

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const hash = hashString(feature);
  const sign = (hash & 0x80000000) === 0 ? 1 : -1;
  const slot = hash % vector.length;
  vector[slot] = (vector[slot] ?? 0) + sign * weight;
}

/**
 * A lexical embedding: hashed word unigrams, word bigrams and character trigrams, L2-normalised.
 * Texts that share words and spellings come out close; synonyms do not (it is not semantic).
 */
export function embedText(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  const words = wordsOf(text);
  words.forEach((word, index) => {
    addFeature(vector, `w:${word}`, 1);
    const next = words[index + 1];
    if (next !== undefined) addFeature(vector, `b:${word} ${next}`, 0.7);
    const padded = `<${word}>`;
    for (let start = 0; start + 3 <= padded.length; start += 1) addFeature(vector, `c:${padded.slice(start, start + 3)}`, 0.3);
  });
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => (norm === 0 ? 0 : value / norm));
}

/** Cosine similarity of two L2-normalised vectors (their dot product). */
export function cosineOfNormalised(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let index = 0; index < a.length; index += 1) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}
