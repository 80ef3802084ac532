// talisman ships no type declarations; this is the one entry point we use.
declare module 'talisman/tokenizers/words/treebank' {
  /** Penn Treebank word tokenisation of one sentence. */
  export default function tokenize(text: string): string[];
}
