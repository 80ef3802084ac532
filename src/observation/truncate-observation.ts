import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/** WebArena's observation budget in cl100k_base tokens. */
export const OBSERVATION_TOKEN_LIMIT = 1920;

// Building the encoder parses the rank table once per process.
let encoder: Tiktoken | undefined;

/** The observation cut to at most `limit` cl100k_base tokens (the tail is dropped silently). */
export function truncateObservation(text: string, limit: number = OBSERVATION_TOKEN_LIMIT): string {
  encoder ??= new Tiktoken(cl100kBase);
  const tokens = encoder.encode(text);
  return tokens.length <= limit ? text : encoder.decode(tokens.slice(0, limit));
}
