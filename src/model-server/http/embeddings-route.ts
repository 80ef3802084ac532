import type { FastifyInstance } from 'fastify';
import { EMBEDDING_DIMENSIONS, embedText } from '../lexical-embedding';
import type { ModelRegistry } from '../model-registry';
import { countTextTokens } from '../token-counter';
import { embeddingRequestSchema, parseBody } from './wire-schemas';

function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** POST /v1/embeddings: lexical hashed n-gram embeddings (any listed model id is accepted). */
export function registerEmbeddingsRoute(app: FastifyInstance, models: ModelRegistry): void {
  app.post('/v1/embeddings', (request) => {
    const body = parseBody(embeddingRequestSchema, request.body, 'embeddings');
    models.get(body.model);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const dimensions = body.dimensions ?? EMBEDDING_DIMENSIONS;
    const data = inputs.map((input, index) => {
      const vector = embedText(input, dimensions);
      return { object: 'embedding' as const, index, embedding: body.encoding_format === 'base64' ? toBase64(vector) : vector };
    });
    const tokens = inputs.reduce((sum, input) => sum + countTextTokens(input), 0);
    return { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  });
}
