import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat request as the scripted server received it. */
export interface ReceivedChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
}

/** What the script answers: a reply text, or an HTTP error status. */
export type ScriptedReply = string | { status: number; message: string };

/** An OpenAI-compatible chat endpoint whose replies come from a script (a function of the request). */
export interface ScriptedModelServer {
  baseUrl: string;
  requests: ReceivedChatRequest[];
  close(): Promise<void>;
}

/** Starts the scripted endpoint on 127.0.0.1:<ephemeral>/v1. */
export async function startScriptedModelServer(script: (request: ReceivedChatRequest, index: number) => ScriptedReply): Promise<ScriptedModelServer> {
  const requests: ReceivedChatRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${request.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedChatRequest;
      requests.push(body);
      const reply = script(body, requests.length - 1);
      if (typeof reply !== 'string') {
        response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: reply.message, type: 'server_error' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100 + requests.length, completion_tokens: 10, total_tokens: 110 + requests.length },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The id of `<role> '<name>'` in the observation of the request's last user turn. */
export function findIdInPrompt(request: ReceivedChatRequest, role: string, name: string): string {
  const prompt = request.messages[request.messages.length - 1]?.content ?? '';
  const match = new RegExp(`\\[(\\d+)\\] ${role} '${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`).exec(prompt);
  if (!match?.[1]) throw new Error(`no ${role} '${name}' in the prompt`);
  return match[1];
}
