/** One evaluator's outcome: its score and a human-readable account of how it got there. */
export interface EvaluatorResult {
  type: string;
  score: number;
  detail: string;
}
