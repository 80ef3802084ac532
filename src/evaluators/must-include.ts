import { cleanAnswer } from './clean-answer';
import { treebankTokens } from './treebank-tokens';

/**
 * 1 when the cleaned reference is a substring of the cleaned answer. With `matchTokens`, a
 * single-character reference must instead equal one of the answer's Treebank word tokens, so that
 * "0" is not found inside "$10.00" (WebArena applies this only to one-item must_include lists).
 */
export function scoreMustInclude(reference: string, answer: string, matchTokens: boolean): number {
  const cleanReference = cleanAnswer(reference);
  const cleanPrediction = cleanAnswer(answer);
  if (matchTokens && cleanReference.length === 1 && treebankTokens(cleanReference).length === 1) {
    return treebankTokens(cleanPrediction).includes(cleanReference) ? 1 : 0;
  }
  return cleanPrediction.includes(cleanReference) ? 1 : 0;
}
