import type { FastifyInstance } from 'fastify';
import type { FileStore } from '../file-store';
import { OpenAiHttpError } from './openai-error';

const PURPOSES = new Set(['fine-tune', 'assistants', 'batch', 'vision', 'user_data', 'evals']);

/** POST /v1/files (multipart), GET /v1/files, GET /v1/files/:id, GET /v1/files/:id/content. */
export function registerFilesRoutes(app: FastifyInstance, files: FileStore): void {
  app.post('/v1/files', async (request) => {
    if (!request.isMultipart()) throw new OpenAiHttpError(400, 'file upload: the request must be multipart/form-data with fields file and purpose');
    let purpose: string | undefined;
    let upload: { filename: string; content: Buffer } | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new OpenAiHttpError(400, `file upload: unexpected file field '${part.fieldname}'`, 'invalid_request_error', part.fieldname);
        upload = { filename: part.filename, content: await part.toBuffer() };
      } else if (part.fieldname === 'purpose') {
        purpose = String(part.value);
      } else {
        throw new OpenAiHttpError(400, `file upload: unexpected field '${part.fieldname}'`, 'invalid_request_error', part.fieldname);
      }
    }
    if (!upload) throw new OpenAiHttpError(400, "file upload: missing the 'file' field", 'invalid_request_error', 'file');
    if (!purpose || !PURPOSES.has(purpose)) throw new OpenAiHttpError(400, `file upload: 'purpose' must be one of ${[...PURPOSES].join(', ')}, got '${purpose ?? ''}'`, 'invalid_request_error', 'purpose');
    return files.create({ filename: upload.filename, purpose, content: upload.content });
  });
  app.get('/v1/files', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const all = (await files.list()).filter((file) => query.purpose === undefined || file.purpose === query.purpose);
    return { object: 'list', data: all, has_more: false };
  });
  app.get<{ Params: { id: string } }>('/v1/files/:id', async (request) => files.get(request.params.id));
  app.get<{ Params: { id: string } }>('/v1/files/:id/content', async (request, reply) => {
    const content = await files.content(request.params.id);
    return reply.type('application/octet-stream').send(content);
  });
}
