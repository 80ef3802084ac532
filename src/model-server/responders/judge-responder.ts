import { keyWordsOf } from '../text-words';

function labelled(text: string, label: string): string | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${label}:`));
  return line === undefined ? null : line.slice(label.length + 1).trim();
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[$,]/g, '').replace(/\s+/g, ' ').replace(/[.!?]+$/, '').trim();
}

/** Whether the reference's words occur in the answer as a whole run of words ("no" is not inside "not"). */
function containsWords(answer: string, reference: string): boolean {
  const words = (text: string) => text.split(/[^\p{L}\p{N}/.-]+/u).filter(Boolean);
  const haystack = words(answer);
  const needle = words(reference);
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    if (needle.every((word, offset) => haystack[start + offset] === word)) return true;
  }
  return false;
}

const DECLINING = /\b(n\/a|not|no|cannot|can't|unable|impossible|doesn't|does not|isn't|unavailable|none)\b/i;

/** Whether a prompt is the evaluator's fuzzy-match judge (Question / Reference answer / Student answer lines). */
export function isFuzzyMatchPrompt(text: string): boolean {
  return labelled(text, 'Reference answer') !== null && labelled(text, 'Student answer') !== null;
}

/** Whether a prompt is the evaluator's unachievable-reason judge (Task / Actual reason / Reported reason lines). */
export function isUnachievablePrompt(text: string): boolean {
  return labelled(text, 'Actual reason') !== null && labelled(text, 'Reported reason') !== null;
}

/** Grades a student answer against a reference by lexical comparison; the verdict is alone on the last line. */
export function answerFuzzyMatch(text: string): string {
  const reference = labelled(text, 'Reference answer') ?? '';
  const answer = labelled(text, 'Student answer') ?? '';
  const ref = normalise(reference);
  const got = normalise(answer);
  let verdict: 'correct' | 'incorrect' | 'partially correct';
  let why: string;
  if (ref === 'n/a') {
    verdict = DECLINING.test(answer) ? 'correct' : 'incorrect';
    why = verdict === 'correct' ? 'The student says the task cannot be done, as the reference does.' : 'The reference says the task cannot be done, but the student gives an answer.';
  } else if (ref !== '' && containsWords(got, ref)) {
    verdict = 'correct';
    why = 'The student answer contains the reference answer.';
  } else {
    const refWords = keyWordsOf(ref);
    const gotWords = new Set(keyWordsOf(got));
    const covered = refWords.filter((word) => gotWords.has(word)).length;
    const coverage = refWords.length === 0 ? 0 : covered / refWords.length;
    verdict = coverage >= 0.999 ? 'correct' : coverage >= 0.5 ? 'partially correct' : 'incorrect';
    why = `The student answer shares ${covered} of the reference answer's ${refWords.length} key words.`;
  }
  return `${why}\n${verdict}`;
}

/** Decides whether a reported reason names the actual reason, by shared key words; verdict alone on the last line. */
export function answerUnachievableReason(text: string): string {
  const actual = new Set(keyWordsOf(labelled(text, 'Actual reason') ?? ''));
  const reported = keyWordsOf(labelled(text, 'Reported reason') ?? '');
  const shared = reported.filter((word) => actual.has(word));
  const union = new Set([...actual, ...reported]).size;
  const same = shared.length >= 2 || (union > 0 && shared.length / union >= 0.25);
  const why = shared.length > 0 ? `Both reasons mention ${shared.slice(0, 5).map((word) => `'${word}'`).join(', ')}.` : 'The reasons share no key words.';
  return `${why}\n${same ? 'same' : 'different'}`;
}
