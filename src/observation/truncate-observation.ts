import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/** WebArena's observation budget in cl100k_base tokens. */
export const OBSERVATION_TOKEN_LIMIT = 1920;

// Building the encoder parses the rank table once per process.
let encoder: Tiktoken | undefined;

/**
 * Characters per token beyond which text is cut before encoding: cl100k_base tokens are far shorter,
 * so the first `limit` tokens are the same, and a page with megabytes of text is not encoded whole.
 */
const MAX_CHARACTERS_PER_TOKEN = 64;

/** The observation cut to at most `limit` cl100k_base tokens (the tail is dropped silently). */
export function truncateObservation(text: string, limit: number = OBSERVATION_TOKEN_LIMIT): string {
  encoder ??= new Tiktoken(cl100kBase);
  const head = text.length > limit * MAX_CHARACTERS_PER_TOKEN ? text.slice(0, limit * MAX_CHARACTERS_PER_TOKEN) : text;
  const tokens = encoder.encode(head);
  return tokens.length <= limit ? head : encoder.decode(tokens.slice(0, limit));
}
