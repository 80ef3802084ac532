// The Temporal remote codec endpoint: the Web UI (and `temporal` CLI with --codec-endpoint) posts
// payloads to /decode to show them to an operator, and to /encode to send signals with input.
import Fastify, { type FastifyReply } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError } from './payload-codec';

/** Port of the codec endpoint unless told otherwise (next to the local Web UI's 8233). */
export const DEFAULT_CODEC_SERVER_PORT = 8234;

/** Largest request body the codec endpoint reads (a page of history payloads). */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** A payload in the JSON form of temporal.api.common.v1.Payload (bytes as base64). */
const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64).optional(),
  data: base64.optional(),
});
/** The body of /encode and /decode: `{ "payloads": [...] }`. */
const payloadsBodySchema = z.object({ payloads: z.array(jsonPayloadSchema) });
export type JsonPayload = z.infer<typeof jsonPayloadSchema>;

/** A payload from its JSON form. */
export function payloadFromJson(json: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(json.metadata ?? {}).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(json.data ?? '', 'base64')),
  };
}

/** A payload in its JSON form. */
export function payloadToJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Origins allowed to call from a browser (the Temporal Web UI's), for CORS. */
  uiOrigins: string[];
}

export interface RunningCodecServer {
  /** `http://host:port`: what `--ui-codec-endpoint` and the UI's codec setting take. */
  url: string;
  close(): Promise<void>;
}

function allowCors(reply: FastifyReply, origin: string | undefined, uiOrigins: string[]): void {
  if (!origin || !uiOrigins.includes(origin)) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
  reply.header('access-control-allow-methods', 'POST, OPTIONS');
  reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization');
  reply.header('access-control-allow-credentials', 'true');
  reply.header('access-control-max-age', '600');
}

/**
 * Serves POST /encode and POST /decode in the Temporal remote codec format, with CORS for the given
 * UI origins (preflight included). A payload the codec cannot decrypt is a 400 naming the key id.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  app.addHook('onRequest', async (request, reply) => {
    allowCors(reply, request.headers.origin, options.uiOrigins);
  });
  app.options('/*', async (request, reply) => {
    const allowed = request.headers.origin !== undefined && options.uiOrigins.includes(request.headers.origin);
    return reply.code(allowed ? 204 : 403).send();
  });
  for (const direction of ['encode', 'decode'] as const) {
    app.post(`/${direction}`, async (request, reply) => {
      const parsed = payloadsBodySchema.safeParse(request.body);
      if (!parsed.success) {
        return reply.code(400).send({ error: `POST /${direction}: the body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}]}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}` });
      }
      try {
        const payloads = parsed.data.payloads.map(payloadFromJson);
        const result = direction === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
        return reply.send({ payloads: result.map(payloadToJson) });
      } catch (error) {
        if (error instanceof PayloadDecryptionError) return reply.code(400).send({ error: error.message });
        throw error;
      }
    });
  }
  const address = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return { url: address, close: () => app.close() };
}
