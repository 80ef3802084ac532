// The evaluators: WebArena's scoring rules on a final answer and a final page.
export { evaluateTask, scoreTask, type EvaluateTaskInput, type ScoreTaskInput, type TaskEvaluation } from './evaluate-task';
export { EVALUATOR_VERSIONS, type EvaluationMode } from './evaluation-mode';
export { EvaluationError } from './evaluation-error';
export type { EvaluatorResult } from './evaluator-result';
export { cleanAnswer } from './clean-answer';
export { scoreExactMatch } from './exact-match';
export { scoreMustInclude } from './must-include';
export { scoreStringMatch } from './string-match';
export { scoreUrlMatch } from './url-match';
export { scoreProgramHtml } from './program-html';
export type { Judge, FuzzyMatchVerdict, UnachievableReasonVerdict } from './judge';
export { createModelJudge, JudgeReplyError, type JudgeEndpoint } from './llm-judge';
export { callFuncExpression, UnknownFuncHelperError, type FuncHelper, type FuncHelperContext } from './func-helpers';
export { parseFuncExpression, FuncExpressionError, type FuncExpression } from './func-expression';
