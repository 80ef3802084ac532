import tokenize from 'talisman/tokenizers/words/treebank';

/** Penn Treebank word tokens of a text (as NLTK's word_tokenize gives for one sentence): "$0.00" -> ["$", "0.00"]. */
export function treebankTokens(text: string): string[] {
  return tokenize(text);
}
