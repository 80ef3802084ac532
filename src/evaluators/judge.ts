/** A fuzzy-match verdict; only "correct" scores 1. */
export type FuzzyMatchVerdict = 'correct' | 'incorrect' | 'partially correct';
/** Whether a reported reason for giving up matches the task's real reason. */
export type UnachievableReasonVerdict = 'same' | 'different';

/** The grader for answers that cannot be compared as text; createModelJudge puts an LLM behind it. */
export interface Judge {
  fuzzyMatch(input: { question: string; reference: string; answer: string }): Promise<FuzzyMatchVerdict>;
  unachievableReason(input: { task: string; actualReason: string; reportedReason: string }): Promise<UnachievableReasonVerdict>;
}
