/**
 * `webarena`: WebArena's published harness, quirks included (the default, so scores agree with it).
 * `ratchet`: the same rules with the documented quirks fixed (docs/evaluators.md lists each one).
 */
export type EvaluationMode = 'webarena' | 'ratchet';

/** Recorded next to every score, so a changed rule never silently mixes with old scores. */
export const EVALUATOR_VERSIONS: Record<EvaluationMode, string> = {
  webarena: 'webarena-compat-1',
  ratchet: 'ratchet-strict-1',
};
