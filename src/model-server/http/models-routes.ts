import type { FastifyInstance } from 'fastify';
import type { ModelRegistry } from '../model-registry';

/** GET /v1/models and /v1/models/:id. */
export function registerModelsRoutes(app: FastifyInstance, models: ModelRegistry): void {
  app.get('/v1/models', () => ({ object: 'list', data: models.list() }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', (request) => models.get(request.params.id));
}
