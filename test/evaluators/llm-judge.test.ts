import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelJudge, readFuzzyMatchVerdict } from '../../src/evaluators/llm-judge';
import { ModelCallError } from '../../src/llm/model-client';

interface ChatRequest {
  model: string;
  temperature: number;
  messages: Array<{ role: string; content: string }>;
}

/** A tiny OpenAI-compatible chat endpoint that replies from a script and records each request. */
let server: Server;
let baseUrl: string;
let requests: ChatRequest[] = [];
let reply: { status: number; content: string } = { status: 200, content: '' };

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      requests.push(JSON.parse(body) as ChatRequest);
      if (reply.status !== 200) return void response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure' } }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'judge',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
});

describe('createModelJudge over HTTP', () => {
  it('asks the fuzzy-match question with labelled lines at temperature 0 and reads the verdict from the last line', async () => {
    const judge = createModelJudge({ baseUrl, model: 'judge' });
    reply = { status: 200, content: 'The student says 3.5 hours, which is incorrect? No, it matches.\ncorrect' };
    expect(await judge.fuzzyMatch({ question: 'How long?', reference: '3h 30min', answer: 'about 3.5 hours' })).toBe('correct');
    const [request] = requests;
    expect(request?.model).toBe('judge');
    expect(request?.temperature).toBe(0);
    const prompt = request?.messages.at(-1)?.content ?? '';
    expect(prompt).toContain('Question: How long?\nReference answer: 3h 30min\nStudent answer: about 3.5 hours');
    expect(prompt).toMatch(/correct, incorrect, or partially correct/);
    reply = { status: 200, content: 'Partially Correct' };
    expect(await judge.fuzzyMatch({ question: 'q', reference: 'r', answer: 'a' })).toBe('partially correct');
  });

  it('asks the unachievable-task question with Task / Actual reason / Reported reason lines', async () => {
    const judge = createModelJudge({ baseUrl, model: 'judge' });
    reply = { status: 200, content: 'Both say the order does not exist.\nsame' };
    expect(await judge.unachievableReason({ task: 'Cancel order 9', actualReason: 'no order 9', reportedReason: 'order 9 does not exist' })).toBe('same');
    expect(requests[0]?.messages.at(-1)?.content).toContain('Task: Cancel order 9\nActual reason: no order 9\nReported reason: order 9 does not exist');
    reply = { status: 200, content: 'different' };
    expect(await judge.unachievableReason({ task: 't', actualReason: 'a', reportedReason: 'b' })).toBe('different');
  });

  it('rejects a reply with no verdict on its last line', async () => {
    const judge = createModelJudge({ baseUrl, model: 'judge' });
    reply = { status: 200, content: 'correct\nI am not sure.' };
    await expect(judge.fuzzyMatch({ question: 'q', reference: 'r', answer: 'a' })).rejects.toThrow('no verdict on the last line');
  });

  it('classifies HTTP failures once: 500 retryable, 400 final, with no client retries', async () => {
    const judge = createModelJudge({ baseUrl, model: 'judge' });
    reply = { status: 500, content: '' };
    const serverError = await judge.fuzzyMatch({ question: 'q', reference: 'r', answer: 'a' }).catch((error: unknown) => error);
    expect(serverError).toBeInstanceOf(ModelCallError);
    expect((serverError as ModelCallError).retryable).toBe(true);
    expect(requests).toHaveLength(1);
    reply = { status: 400, content: '' };
    const badRequest = await judge.fuzzyMatch({ question: 'q', reference: 'r', answer: 'a' }).catch((error: unknown) => error);
    expect((badRequest as ModelCallError).retryable).toBe(false);
    expect((badRequest as ModelCallError).message).toContain('fuzzy-match judge (judge at');
  });
});

describe('readFuzzyMatchVerdict', () => {
  it('checks "partially correct" and "incorrect" before "correct"', () => {
    expect(readFuzzyMatchVerdict('reasoning\nIncorrect.')).toBe('incorrect');
    expect(readFuzzyMatchVerdict('**partially correct**')).toBe('partially correct');
  });
});

describe('createModelJudge against the local model server', () => {
  let modelServer: Awaited<ReturnType<typeof import('../../src/model-server/index').startModelServer>>;

  beforeAll(async () => {
    const { startModelServer } = await import('../../src/model-server/index');
    const dataDir = await mkdtemp(join(tmpdir(), 'ratchet-judge-'));
    modelServer = await startModelServer({ port: 0, dataDir });
  });

  afterAll(async () => {
    await modelServer?.close();
  });

  it('answers the fuzzy-match prompt with a verdict this judge reads', async () => {
    const judge = createModelJudge({ baseUrl: modelServer.url, model: 'ratchet-base' });
    expect(await judge.fuzzyMatch({ question: 'How long is the drive?', reference: '3h 30min', answer: 'the drive takes 3h 30min' })).toBe('correct');
    expect(await judge.fuzzyMatch({ question: 'Who wrote the review?', reference: 'Emma Lopez', answer: 'Zebra Nightingale' })).toBe('incorrect');
  });

  it('answers the unachievable-reason prompt with same or different', async () => {
    const judge = createModelJudge({ baseUrl: modelServer.url, model: 'ratchet-base' });
    expect(await judge.unachievableReason({ task: 'Cancel order 9', actualReason: 'the shipping address of order 9 cannot be changed', reportedReason: 'the shipping address cannot be changed for order 9' })).toBe('same');
    expect(await judge.unachievableReason({ task: 'Cancel order 9', actualReason: 'the shipping address of order 9 cannot be changed', reportedReason: 'website crashed during login' })).toBe('different');
  });
});
