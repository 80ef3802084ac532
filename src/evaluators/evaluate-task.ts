import type { Page } from 'playwright-core';
import { replacePlaceholdersDeep } from '../tasks/placeholders';
import type { TaskConfig } from '../tasks/task-config';
import { EvaluationError } from './evaluation-error';
import { EVALUATOR_VERSIONS, type EvaluationMode } from './evaluation-mode';
import type { EvaluatorResult } from './evaluator-result';
import type { FuncHelper } from './func-helpers';
import type { Judge } from './judge';
import { scoreProgramHtml } from './program-html';
import { scoreStringMatch } from './string-match';
import { scoreUrlMatch } from './url-match';

/** A task's score (the product of its evaluators', so 0 or 1), the evaluator version, and each evaluator's account. */
export interface TaskEvaluation {
  score: number;
  evaluatorVersion: string;
  evaluators: EvaluatorResult[];
}

interface EvaluationOptions {
  task: TaskConfig;
  /** The agent's final answer (the `stop [...]` text, or the early-stop text). */
  answer: string;
  judge?: Judge;
  funcHelpers?: Record<string, FuncHelper>;
  /** Placeholder -> base URL; placeholders left in the task are replaced with these before scoring. */
  siteUrls?: Record<string, string>;
  mode?: EvaluationMode;
}

export interface EvaluateTaskInput extends EvaluationOptions {
  /** The active tab when the episode ended. */
  page: Page;
}

export interface ScoreTaskInput extends EvaluationOptions {
  /** The URL of the active tab when the episode ended. */
  finalUrl: string;
  /** That tab; only program_html needs it. */
  page: Page | null;
}

/** Runs a task's evaluators on the final answer and the final page; an evaluator that throws leaves the task unscored. */
export async function evaluateTask(input: EvaluateTaskInput): Promise<TaskEvaluation> {
  return scoreTask({ ...input, finalUrl: input.page.url() });
}

/** Runs a task's evaluators given the final URL, with a page only where program_html needs one. */
export async function scoreTask(input: ScoreTaskInput): Promise<TaskEvaluation> {
  const mode = input.mode ?? 'webarena';
  const siteUrls = input.siteUrls ?? {};
  const task = replacePlaceholdersDeep(input.task, siteUrls);
  const evaluators: EvaluatorResult[] = [];
  for (const type of task.eval.eval_types) {
    switch (type) {
      case 'string_match':
        evaluators.push(await scoreStringMatch({ task, answer: input.answer, judge: input.judge, mode }));
        break;
      case 'url_match':
        evaluators.push(scoreUrlMatch({ task, finalUrl: input.finalUrl, mode }));
        break;
      case 'program_html': {
        if (!input.page) throw new EvaluationError('program_html', task.task_id, 'needs the final page (give a page or page HTML)');
        evaluators.push(await scoreProgramHtml({ task, page: input.page, finalUrl: input.finalUrl, funcHelpers: input.funcHelpers ?? {}, siteUrls, mode }));
        break;
      }
    }
  }
  const score = evaluators.reduce((product, result) => product * result.score, 1);
  return { score, evaluatorVersion: EVALUATOR_VERSIONS[mode], evaluators };
}
