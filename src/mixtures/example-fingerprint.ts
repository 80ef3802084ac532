import { contentHash } from '../domain/content-hash';
import type { TrainingExample } from './training-example';

/** Unicode NFC, every whitespace run as one space, trimmed: formatting noise does not make a new example. */
export function normaliseExampleText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** sha-256 of the normalised prompt messages and response; equal fingerprints are duplicates. */
export function exampleFingerprint(example: Pick<TrainingExample, 'messages' | 'response'>): string {
  return contentHash({
    messages: example.messages.map((message) => ({ role: message.role, content: normaliseExampleText(message.content) })),
    response: normaliseExampleText(example.response),
  });
}
