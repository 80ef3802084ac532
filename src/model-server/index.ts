import multipart from '@fastify/multipart';
import Fastify, { type FastifyError } from 'fastify';
import { FileStore } from './file-store';
import { FineTuningJobs } from './fine-tuning-jobs';
import { registerChatCompletionsRoute } from './http/chat-completions-route';
import { registerEmbeddingsRoute } from './http/embeddings-route';
import { registerFilesRoutes } from './http/files-routes';
import { registerFineTuningRoutes } from './http/fine-tuning-routes';
import { registerModelsRoutes } from './http/models-routes';
import { OpenAiHttpError } from './http/openai-error';
import { ModelRegistry } from './model-registry';

export { BASE_MODEL_ID } from './model-registry';
export { EMBEDDING_DIMENSIONS, embedText } from './lexical-embedding';

/** Largest JSON body accepted (agent prompts are a few KB; training files go through multipart). */
const JSON_BODY_LIMIT_BYTES = 32 * 1024 * 1024;
const UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;

export interface ModelServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where files, jobs and fine-tuned models are kept (created if missing). */
  dataDir: string;
  /** Log requests to stderr (the CLI turns this on). */
  log?: boolean;
  /** Least time a fine-tuning job stays `running`, in ms (default 0; see FineTuningJobsOptions). */
  minTrainingMs?: number;
}

export interface RunningModelServer {
  /** Base URL ending in /v1, for OpenAI-compatible clients. */
  url: string;
  close(): Promise<void>;
}

/** Starts the local OpenAI-compatible model server: a small learned web-agent policy, not an LLM. */
export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const host = options.host ?? '127.0.0.1';
  const app = Fastify({ bodyLimit: JSON_BODY_LIMIT_BYTES, logger: options.log ? { level: 'info', stream: process.stderr } : false });
  const files = new FileStore(options.dataDir);
  const models = new ModelRegistry(options.dataDir);
  await models.open();
  const jobs = new FineTuningJobs(options.dataDir, files, models, (error) => app.log.error({ err: error }, 'fine-tuning job crashed'), { minTrainingMs: options.minTrainingMs });

  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1 } });
  app.setErrorHandler((error: FastifyError | OpenAiHttpError, request, reply) => {
    if (error instanceof OpenAiHttpError) return reply.status(error.status).send(error.toBody());
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'model server request failed');
    const wrapped = new OpenAiHttpError(status, `${request.method} ${request.url}: ${error.message}`, undefined, null, error.code ?? null);
    return reply.status(status).send(wrapped.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new OpenAiHttpError(404, `Unknown endpoint: ${request.method} ${request.url.split('?')[0] ?? request.url}`, 'not_found_error', null, 'unknown_url');
    return reply.status(404).send(error.toBody());
  });
  app.get('/health', () => ({ ok: true }));
  registerModelsRoutes(app, models);
  registerChatCompletionsRoute(app, models);
  registerEmbeddingsRoute(app, models);
  registerFilesRoutes(app, files);
  registerFineTuningRoutes(app, jobs);

  // Jobs left unfinished by an earlier process resume once the routes exist.
  await jobs.open();
  const address = await app.listen({ port: options.port ?? 0, host });
  const { port } = new URL(address);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    async close() {
      await jobs.close();
      await app.close();
    },
  };
}
