import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyModelError, createModelClient } from '../../src/llm/model-client';

// A real HTTP server on loopback answering with the status a test asks for in the model name.
let server: Server;
let baseUrl: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { model } = JSON.parse(body) as { model: string };
      const status = Number(model.replace('status-', ''));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 429) headers['retry-after'] = '7';
      response.writeHead(status, headers);
      response.end(JSON.stringify({ error: { message: `answered ${status}`, type: 'test' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failureFor(status: number) {
  const client = createModelClient({ baseUrl, timeoutMs: 5_000 });
  try {
    await client.chat.completions.create({ model: `status-${status}`, messages: [{ role: 'user', content: 'hi' }] });
  } catch (error) {
    return classifyModelError(error, 'chat completion');
  }
  throw new Error('the call was expected to fail');
}

describe('model client', () => {
  it('makes exactly one HTTP request per call because Temporal owns retries', async () => {
    const before = requests;
    await failureFor(503);
    expect(requests - before).toBe(1);
  });

  it.each([400, 401, 403, 404, 422])('treats HTTP %i as final', async (status) => {
    const failure = await failureFor(status);
    expect(failure.retryable).toBe(false);
    expect(failure.status).toBe(status);
    expect(failure.message).toContain('chat completion');
  });

  it.each([408, 409, 500, 503])('treats HTTP %i as retryable', async (status) => {
    expect((await failureFor(status)).retryable).toBe(true);
  });

  it('honours Retry-After on 429', async () => {
    const failure = await failureFor(429);
    expect(failure.retryable).toBe(true);
    expect(failure.retryAfterMs).toBe(7_000);
  });

  it('treats a refused connection as retryable', async () => {
    const client = createModelClient({ baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 2_000 });
    const failure = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => undefined, (error: unknown) => classifyModelError(error, 'chat completion'));
    expect(failure?.retryable).toBe(true);
  });
});
