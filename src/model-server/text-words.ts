/** Lower-case word tokens of a text: letters, digits and the few symbols that carry meaning in answers. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}$%.'-]+/gu)?.map((word) => word.replace(/^[.'-]+|[.'-]+$/g, '')).filter((word) => word.length > 0) ?? [];
}

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'and', 'or', 'is', 'are', 'was', 'were', 'be', 'been', 'it', 'its',
  'this', 'that', 'these', 'those', 'with', 'at', 'by', 'from', 'as', 'my', 'me', 'i', 'you', 'your', 'we', 'our', 'do',
  'does', 'did', 'what', 'which', 'who', 'whom', 'how', 'when', 'where', 'why', 'can', 'could', 'would', 'should',
  'will', 'please', 'all', 'any', 'there', 'their', 'them', 'they', 'has', 'have', 'had', 'about', 'into', 'than',
  'then', 'so', 'if', 'not', 'no', 'yes', 'tell', 'give', 'show', 'find', 'get', 'list', 'many', 'much',
]);

/** Content words: word tokens minus function words, the part of a text that names things. */
export function contentWordsOf(text: string): string[] {
  return wordsOf(text).filter((word) => !STOP_WORDS.has(word));
}

/** Whether a word is a function word (ignored when matching an objective to a page). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** A crude English stem (plural endings only), so 'balls' matches 'ball' and 'reviews' matches 'review'. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Stemmed content words, deduplicated in order of first appearance. */
export function keyWordsOf(text: string): string[] {
  return [...new Set(contentWordsOf(text).map(stemWord))];
}
