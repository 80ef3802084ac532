import { OR_SEPARATOR, UNACHIEVABLE_ANSWER, type TaskConfig } from '../tasks/task-config';
import { cleanAnswer } from './clean-answer';
import { EvaluationError } from './evaluation-error';
import type { EvaluationMode } from './evaluation-mode';
import type { EvaluatorResult } from './evaluator-result';
import { scoreExactMatch } from './exact-match';
import type { Judge } from './judge';
import { scoreMustInclude } from './must-include';

export interface StringMatchInput {
  task: TaskConfig;
  answer: string;
  judge?: Judge;
  mode: EvaluationMode;
}

function requireJudge(task: TaskConfig, judge: Judge | undefined, why: string): Judge {
  if (!judge) throw new EvaluationError('string_match', task.task_id, `${why} needs a judge (give a judge model)`);
  return judge;
}

/**
 * string_match: exact_match, must_include and fuzzy_match in that order, multiplied. In `webarena`
 * mode the answer is cleaned before each comparison cleans it again, a one-item single-character
 * must_include compares Treebank tokens, ` |OR| ` is literal text, and a failed "N/A" check is
 * replaced (not multiplied) by the judge's verdict on the stated reason.
 */
export async function scoreStringMatch(input: StringMatchInput): Promise<EvaluatorResult> {
  const { task, mode } = input;
  const answers = task.eval.reference_answers;
  if (!answers) throw new EvaluationError('string_match', task.task_id, 'the task has no reference_answers');
  const prediction = mode === 'webarena' ? cleanAnswer(input.answer) : input.answer;
  const steps: string[] = [];
  let score = 1;

  if (answers.exact_match !== undefined) {
    const value = scoreExactMatch(answers.exact_match, prediction);
    steps.push(`exact_match ${JSON.stringify(answers.exact_match)}: ${value}`);
    score *= value;
  }

  if (answers.must_include !== undefined) {
    const items = answers.must_include;
    for (const item of items) {
      const value = scoreMustIncludeItem(item, prediction, items.length, mode);
      steps.push(`must_include ${JSON.stringify(item)}: ${value}`);
      score *= value;
    }
  }

  const fuzzy = answers.fuzzy_match;
  if (fuzzy === UNACHIEVABLE_ANSWER) {
    const saidUnachievable = scoreExactMatch(UNACHIEVABLE_ANSWER, prediction);
    steps.push(`fuzzy_match "N/A" answered as N/A: ${saidUnachievable}`);
    const combined = mode === 'webarena' ? score * saidUnachievable : saidUnachievable;
    if (combined === 1) {
      score = mode === 'webarena' ? combined : score;
    } else {
      const judge = requireJudge(task, input.judge, 'an unachievable task answered with a reason');
      const verdict = await judge.unachievableReason({ task: task.intent, actualReason: task.eval.string_note ?? '', reportedReason: prediction });
      const value = verdict === 'same' ? 1 : 0;
      steps.push(`unachievable reason judged ${verdict}: ${value}`);
      // WebArena replaces the running score with the verdict, forgetting earlier keys.
      score = mode === 'webarena' ? value : score * value;
    }
  } else if (fuzzy !== undefined) {
    for (const reference of fuzzy) {
      let value: number;
      if (prediction.length === 0) {
        // An empty answer is never sent to the judge.
        value = reference.length === 0 ? 1 : 0;
        steps.push(`fuzzy_match ${JSON.stringify(reference)} with an empty answer: ${value}`);
      } else {
        const judge = requireJudge(task, input.judge, 'fuzzy_match');
        const question = task.intent;
        const verdict = await judge.fuzzyMatch({ question, reference, answer: mode === 'webarena' ? prediction : cleanAnswer(prediction) });
        value = verdict === 'correct' ? 1 : 0;
        steps.push(`fuzzy_match ${JSON.stringify(reference)} judged ${verdict}: ${value}`);
      }
      score *= value;
    }
  }
  return { type: 'string_match', score, detail: steps.join('; ') };
}

function scoreMustIncludeItem(item: string, prediction: string, listLength: number, mode: EvaluationMode): number {
  if (mode === 'webarena') return scoreMustInclude(item, prediction, listLength === 1);
  const alternatives = item.split(OR_SEPARATOR);
  return alternatives.some((alternative) => scoreMustInclude(alternative, prediction, true) === 1) ? 1 : 0;
}
