import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

// One shared encoder: building it parses the rank table, which takes a noticeable moment.
let encoder: Tiktoken | undefined;
function sharedEncoder(): Tiktoken {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder;
}

// Agent prompts resend the same system text and examples every step; remember their counts.
const CACHE_LIMIT = 2_000;
const CACHEABLE_MIN_LENGTH = 200;
const cachedCounts = new Map<string, number>();

/** Number of cl100k_base tokens in a text. */
export function countTextTokens(text: string): number {
  const cached = cachedCounts.get(text);
  if (cached !== undefined) return cached;
  const count = sharedEncoder().encode(text).length;
  if (text.length >= CACHEABLE_MIN_LENGTH) {
    if (cachedCounts.size >= CACHE_LIMIT) cachedCounts.delete(cachedCounts.keys().next().value ?? '');
    cachedCounts.set(text, count);
  }
  return count;
}

/** Prompt tokens of a chat request, counted the way OpenAI documents it (3 per message, 3 to prime the reply). */
export function countChatTokens(messages: ReadonlyArray<{ role: string; content: string }>): number {
  let total = 3;
  for (const message of messages) total += 3 + countTextTokens(message.role) + countTextTokens(message.content);
  return total;
}

/** The longest prefix of a text that fits in maxTokens tokens, and whether it was cut. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean; tokens: number } {
  const tokens = sharedEncoder().encode(text);
  if (tokens.length <= maxTokens) return { text, truncated: false, tokens: tokens.length };
  return { text: sharedEncoder().decode(tokens.slice(0, maxTokens)), truncated: true, tokens: maxTokens };
}
