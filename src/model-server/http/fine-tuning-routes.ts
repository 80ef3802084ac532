import type { FastifyInstance } from 'fastify';
import type { FineTuningJobs } from '../fine-tuning-jobs';
import { OpenAiHttpError } from './openai-error';
import { fineTuningJobRequestSchema, parseBody } from './wire-schemas';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

function pageSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new OpenAiHttpError(400, `'limit' must be an integer from 1 to ${MAX_PAGE_SIZE}, got '${value}'`, 'invalid_request_error', 'limit');
  return limit;
}

/** Reads `metadata[key]=value` query parameters, as the OpenAI client sends a metadata filter. */
function metadataFilter(query: Record<string, unknown>): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match?.[1] && typeof value === 'string') filter[match[1]] = value;
  }
  return filter;
}

/** The fine-tuning jobs API: create, list (metadata filter, after, limit), retrieve, events, cancel. */
export function registerFineTuningRoutes(app: FastifyInstance, jobs: FineTuningJobs): void {
  app.post('/v1/fine_tuning/jobs', async (request) => jobs.create(parseBody(fineTuningJobRequestSchema, request.body, 'fine-tuning job')));
  app.get('/v1/fine_tuning/jobs', (request) => {
    const query = request.query as Record<string, string | undefined>;
    return jobs.list({ metadata: metadataFilter(query), after: query.after, limit: pageSize(query.limit) });
  });
  app.get<{ Params: { id: string } }>('/v1/fine_tuning/jobs/:id', (request) => jobs.get(request.params.id));
  app.get<{ Params: { id: string } }>('/v1/fine_tuning/jobs/:id/events', (request) => {
    const query = request.query as Record<string, string | undefined>;
    return jobs.events(request.params.id, { after: query.after, limit: pageSize(query.limit) });
  });
  app.post<{ Params: { id: string } }>('/v1/fine_tuning/jobs/:id/cancel', async (request) => jobs.cancel(request.params.id));
}
