import type OpenAI from 'openai';
import type { StepRecord } from '../../domain/trajectory';
import { embeddingSequenceFromRows, type EmbeddingSequence } from '../../metrics/embedding-sequence';

const EMBEDDING_BATCH = 64;

/** The text VERTEX_DTW embeds for a step: the observation part of its prompt plus the model's response. */
export function stepText(step: StepRecord): string {
  return `${step.observation}\nURL: ${step.url}\nOBJECTIVE: ${step.objective}\nPREVIOUS ACTION: ${step.previousAction}\n${step.response}`;
}

/** Embeds every step of each trajectory (batched calls) and returns one sequence per trajectory. */
export async function embedTrajectories(
  embeddings: { client: OpenAI; model: string },
  trajectories: ReadonlyMap<string, StepRecord[]>,
  onProgress: () => void = () => undefined,
): Promise<Map<string, EmbeddingSequence>> {
  const texts: Array<{ episodeId: string; text: string }> = [];
  for (const [episodeId, steps] of trajectories) for (const step of steps) texts.push({ episodeId, text: stepText(step) });
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
    const batch = texts.slice(start, start + EMBEDDING_BATCH);
    const response = await embeddings.client.embeddings.create({ model: embeddings.model, input: batch.map((entry) => entry.text) });
    const ordered = [...response.data].sort((a, b) => a.index - b.index);
    if (ordered.length !== batch.length) throw new Error(`embeddings: asked for ${batch.length} vectors, got ${ordered.length}`);
    vectors.push(...ordered.map((entry) => entry.embedding));
    onProgress();
  }
  const sequences = new Map<string, EmbeddingSequence>();
  let offset = 0;
  for (const [episodeId, steps] of trajectories) {
    if (steps.length > 0) sequences.set(episodeId, embeddingSequenceFromRows(vectors.slice(offset, offset + steps.length), `episode ${episodeId}`));
    offset += steps.length;
  }
  return sequences;
}
