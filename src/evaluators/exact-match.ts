import { cleanAnswer } from './clean-answer';

/** 1 when the cleaned answer equals the cleaned reference, else 0. */
export function scoreExactMatch(reference: string, answer: string): number {
  return cleanAnswer(answer) === cleanAnswer(reference) ? 1 : 0;
}
