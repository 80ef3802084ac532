import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ModelRegistry } from '../model-registry';
import { respondToChat } from '../responders/chat-responder';
import { createSeededRandom, hashString } from '../seeded-random';
import { countChatTokens, countTextTokens, truncateToTokens } from '../token-counter';
import { chatCompletionRequestSchema, contentText, parseBody } from './wire-schemas';

const DEFAULT_TEMPERATURE = 1;

function cutAtStop(text: string, stop: string | string[] | null | undefined): { text: string; stopped: boolean } {
  const stops = stop === null || stop === undefined ? [] : Array.isArray(stop) ? stop : [stop];
  let cut = text.length;
  for (const sequence of stops) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at >= 0 && at < cut) cut = at;
  }
  return { text: text.slice(0, cut), stopped: cut < text.length };
}

/** POST /v1/chat/completions: the policy's replies, with OpenAI's sampling fields and token usage. */
export function registerChatCompletionsRoute(app: FastifyInstance, models: ModelRegistry): void {
  app.post('/v1/chat/completions', async (request) => {
    const body = parseBody(chatCompletionRequestSchema, request.body, 'chat completion');
    const policy = await models.policy(body.model);
    const messages = body.messages.map((message) => ({ role: message.role, content: contentText(message.content) }));
    const temperature = body.temperature ?? DEFAULT_TEMPERATURE;
    const topP = body.top_p ?? 1;
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? null;
    // With a seed every choice draws from its own reproducible stream; without one, from fresh entropy.
    const baseSeed = body.seed ?? randomBytes(4).readUInt32LE(0);
    let completionTokens = 0;
    const choices = Array.from({ length: body.n ?? 1 }, (_, index) => {
      const random = createSeededRandom(hashString(`${baseSeed}:${index}`));
      const reply = respondToChat(policy, messages, { temperature, topP, random });
      let finishReason: 'stop' | 'length' = 'stop';
      let text = cutAtStop(reply.text, body.stop).text;
      if (maxTokens !== null) {
        const truncated = truncateToTokens(text, maxTokens);
        text = truncated.text;
        if (truncated.truncated) finishReason = 'length';
      }
      completionTokens += countTextTokens(text);
      request.log.debug({ model: body.model, kind: reply.kind }, 'chat completion');
      return { index, message: { role: 'assistant' as const, content: text, refusal: null }, finish_reason: finishReason, logprobs: null };
    });
    const promptTokens = countChatTokens(messages);
    return {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'ratchet-local-policy',
    };
  });
}
