// An HTTP proxy in front of an OpenAI-compatible endpoint that breaks a seeded fraction of requests
// the ways real endpoints and the networks in front of them break: rate limits with Retry-After,
// 500 and 503, answers that never come, dropped connections, bodies cut off mid-way, malformed JSON
// and HTML error pages sent with 200. Requests it leaves alone stream through unchanged.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { createSeededUniform } from '../domain/seeded-uniform';

/** Every fault the proxy can inject, by name (the `--faults` list of `ratchet fault-proxy`). */
export const FAULT_KINDS = [
  'rate-limit',
  'server-error',
  'unavailable',
  'timeout',
  'connection-reset',
  'truncated-body',
  'malformed-json',
  'non-json',
  'unauthorized',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults injected unless a list is given: every transient one (a 401 is final, so it is opt-in). */
export const DEFAULT_FAULTS: FaultKind[] = FAULT_KINDS.filter((kind) => kind !== 'unauthorized');

/** What each fault does, for help texts and reports. */
export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  'rate-limit': '429 with Retry-After (the endpoint is not called)',
  'server-error': '500 with a JSON error body (the endpoint is not called)',
  unavailable: '503 with a plain-text body (the endpoint is not called)',
  timeout: 'no answer: the request is held until the client gives up (or holdMs passes), then the socket is closed',
  'connection-reset': 'the connection is reset (TCP RST) before any answer',
  'truncated-body': 'the endpoint answers; its status, headers and full Content-Length are sent with half the body, then the socket is closed',
  'malformed-json': 'the endpoint answers; its JSON body is sent with a syntax error',
  'non-json': '200 with an HTML error page (the endpoint is not called)',
  unauthorized: '401 invalid API key, a final error (the endpoint is not called; not in the default list)',
};

/** Retry-After the rate-limit fault sends, in seconds, unless told otherwise. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;
/** How long a timeout fault holds a request the client has not given up on, unless told otherwise. */
export const DEFAULT_TIMEOUT_HOLD_MS = 120_000;

export const faultProxyOptionsSchema = z.strictObject({
  /** The endpoint's base URL (e.g. http://127.0.0.1:4010/v1); request paths are forwarded unchanged to its origin. */
  target: z.string().url(),
  /** Fraction of requests that get a fault. */
  rate: z.number().min(0).max(1),
  seed: z.number().int().min(0).default(1),
  faults: z.array(z.enum(FAULT_KINDS)).min(1).default(DEFAULT_FAULTS),
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  retryAfterSeconds: z.number().int().min(0).default(DEFAULT_RETRY_AFTER_SECONDS),
  timeoutHoldMs: z.number().int().positive().default(DEFAULT_TIMEOUT_HOLD_MS),
});
export type FaultProxyOptions = z.input<typeof faultProxyOptionsSchema>;

/** Counts since the proxy started. */
export interface FaultProxyStats {
  requests: number;
  /** Requests passed to the target unchanged. */
  forwarded: number;
  /** Faults injected, all kinds together. */
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Requests that reached the target but failed there before an answer (target down, refused). */
  targetErrors: number;
}

/** One request as the `onRequest` hook sees it: its number, and the fault it got (null when forwarded). */
export interface ProxiedRequest {
  sequence: number;
  method: string;
  path: string;
  fault: FaultKind | null;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FaultProxy {
  /** The proxy's base URL: its origin plus the target's path (use it wherever the target's base URL went). */
  url: string;
  /** Counts since the proxy started (a copy). */
  stats(): FaultProxyStats;
  /** Changes the fault rate (and list) from the next request on; the seeded sequence continues. */
  configure(change: { rate?: number; faults?: FaultKind[] }): void;
  close(): Promise<void>;
}

/** Path on the proxy that answers its counts as JSON (never forwarded, never faulted). */
export const FAULT_PROXY_STATS_PATH = '/__fault-proxy/stats';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function forwardableHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) result[name] = value;
  }
  return result;
}

const jsonError = (message: string, type: string) => JSON.stringify({ error: { message, type, code: null, param: null } });

const HTML_ERROR_PAGE = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>The upstream server sent an invalid response.</p><hr><address>gateway</address></body></html>\n';

/** The body with a syntax error: a stray comma before the closing brace of an object (or an unfinished object otherwise). */
function malformJson(body: string): string {
  const close = body.lastIndexOf('}');
  return close > 0 ? `${body.slice(0, close)},}${body.slice(close + 1)}` : '{"object": ';
}

/**
 * Starts the proxy. Each request draws from a seeded generator: with probability `rate` it gets a
 * fault, chosen uniformly from `faults`. The sequence of decisions is fixed by the seed; which
 * request gets which decision depends on arrival order.
 */
export async function startFaultInjectingProxy(input: FaultProxyOptions, hooks: { onRequest?: (request: ProxiedRequest) => void } = {}): Promise<FaultProxy> {
  const parsed = faultProxyOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`fault proxy: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ')}`);
  }
  const options = parsed.data;
  const target = new URL(options.target);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`fault proxy: target ${options.target}: expected an http or https URL`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const uniform = createSeededUniform(options.seed);
  const stats: FaultProxyStats = {
    requests: 0, forwarded: 0, injected: 0, targetErrors: 0,
    byKind: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
  };
  const sockets = new Set<Socket>();
  const heldTimers = new Set<NodeJS.Timeout>();

  function decide(): FaultKind | null {
    const draw = uniform();
    const pick = uniform();
    if (draw >= options.rate) return null;
    return options.faults[Math.min(options.faults.length - 1, Math.floor(pick * options.faults.length))]!;
  }

  /** Sends the request to the target; the answer is streamed back, or handed to `onAnswer` whole. */
  function forward(request: IncomingMessage, response: ServerResponse, onAnswer?: (status: number, headers: IncomingMessage['headers'], body: Buffer) => void): void {
    const upstream = send({
      protocol: target.protocol, hostname: target.hostname, port: target.port || undefined,
      method: request.method, path: request.url, headers: { ...forwardableHeaders(request.headers), host: target.host },
    }, (answer) => {
      if (!onAnswer) {
        response.writeHead(answer.statusCode ?? 502, forwardableHeaders(answer.headers));
        answer.pipe(response);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => onAnswer(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error) => {
      stats.targetErrors += 1;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(jsonError(`fault proxy: target ${target.origin} failed: ${error.message}`, 'proxy_error'));
    });
    // A client that gives up takes the upstream request with it.
    response.once('close', () => upstream.destroy());
    request.pipe(upstream);
  }

  function inject(kind: FaultKind, request: IncomingMessage, response: ServerResponse): void {
    switch (kind) {
      case 'rate-limit':
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(options.retryAfterSeconds) });
        response.end(jsonError('Rate limit reached (injected by the fault proxy)', 'rate_limit_exceeded'));
        return;
      case 'server-error':
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(jsonError('The server had an error while processing your request (injected by the fault proxy)', 'server_error'));
        return;
      case 'unavailable':
        response.writeHead(503, { 'content-type': 'text/plain' });
        response.end('Service Unavailable (injected by the fault proxy)\n');
        return;
      case 'timeout': {
        // Never answer; the client's own deadline ends the request (its socket closes, and so does ours).
        const timer = setTimeout(() => {
          heldTimers.delete(timer);
          request.socket.destroy();
        }, options.timeoutHoldMs);
        heldTimers.add(timer);
        request.socket.once('close', () => {
          clearTimeout(timer);
          heldTimers.delete(timer);
        });
        return;
      }
      case 'connection-reset':
        request.socket.resetAndDestroy();
        return;
      case 'truncated-body':
        forward(request, response, (status, headers, body) => {
          const kept = body.subarray(0, Math.floor(body.length / 2));
          response.writeHead(status, { ...forwardableHeaders(headers), 'content-length': String(body.length) });
          response.write(kept, () => response.destroy());
        });
        return;
      case 'malformed-json':
        forward(request, response, (status, headers, body) => {
          const broken = Buffer.from(malformJson(body.toString('utf8')));
          response.writeHead(status, { ...forwardableHeaders(headers), 'content-type': 'application/json', 'content-length': String(broken.length) });
          response.end(broken);
        });
        return;
      case 'non-json':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(HTML_ERROR_PAGE);
        return;
      case 'unauthorized':
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(jsonError('Incorrect API key provided (injected by the fault proxy)', 'invalid_api_key'));
        return;
    }
  }

  const server = createServer((request, response) => {
    if (request.url === FAULT_PROXY_STATS_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(stats));
      return;
    }
    stats.requests += 1;
    const kind = decide();
    hooks.onRequest?.({ sequence: stats.requests, method: request.method ?? 'GET', path: request.url ?? '/', fault: kind, at: Date.now() });
    if (!kind) {
      stats.forwarded += 1;
      forward(request, response);
      return;
    }
    stats.injected += 1;
    stats.byKind[kind] += 1;
    if (kind === 'truncated-body' || kind === 'malformed-json') {
      inject(kind, request, response);
      return;
    }
    // Faults that never reach the target still read the whole request first, as a real server would.
    request.resume();
    request.once('end', () => inject(kind, request, response));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`fault proxy: cannot listen on ${options.host}:${options.port}: ${error.message}`)));
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const basePath = target.pathname.replace(/\/$/, '');
  return {
    url: `http://${host}:${address.port}${basePath}`,
    stats: () => ({ ...stats, byKind: { ...stats.byKind } }),
    configure(change) {
      const next = faultProxyOptionsSchema.pick({ rate: true, faults: true }).partial().parse(change);
      if (next.rate !== undefined) options.rate = next.rate;
      if (next.faults !== undefined) options.faults = next.faults;
    },
    async close() {
      for (const timer of heldTimers) clearTimeout(timer);
      heldTimers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Reads a comma-separated fault list (`rate-limit,timeout`); unknown names are an error naming the known ones. */
export function parseFaultList(value: string): FaultKind[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new Error(`--faults ${JSON.stringify(value)}: expected a comma-separated list of ${FAULT_KINDS.join(', ')}`);
  const unknown = names.filter((name) => !(FAULT_KINDS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--faults: unknown fault ${unknown.map((name) => JSON.stringify(name)).join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  return [...new Set(names)] as FaultKind[];
}
