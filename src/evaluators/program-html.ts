import { decodeHTML } from 'entities';
import type { Page } from 'playwright-core';
import { OR_SEPARATOR, type ProgramHtmlTarget, type TaskConfig } from '../tasks/task-config';
import { replacePlaceholders } from '../tasks/placeholders';
import { cleanAnswer } from './clean-answer';
import { EvaluationError } from './evaluation-error';
import type { EvaluationMode } from './evaluation-mode';
import type { EvaluatorResult } from './evaluator-result';
import { scoreExactMatch } from './exact-match';
import { isFuncExpression } from './func-expression';
import { callFuncExpression, type FuncHelper } from './func-helpers';
import { pythonStr } from './python-str';

/** Deadline for opening a target URL. */
export const PROGRAM_HTML_NAVIGATION_TIMEOUT_MS = 30_000;
/** How long to wait for the network to go quiet after opening a target URL (WebArena sleeps 3 s). */
export const PROGRAM_HTML_SETTLE_TIMEOUT_MS = 3_000;

export interface ProgramHtmlInput {
  task: TaskConfig;
  page: Page;
  /** The URL the episode ended on (captured before any target navigates away). */
  finalUrl: string;
  funcHelpers: Record<string, FuncHelper>;
  siteUrls: Record<string, string>;
  mode: EvaluationMode;
}

/** Wraps a locator or prep action as an expression that Playwright evaluates in the page. */
function asPageExpression(source: string): string {
  // The newline keeps a trailing `//` comment from swallowing the closing parentheses.
  return `(() => ${source}\n)()`;
}

function isJavaScriptLocator(locator: string): boolean {
  return locator.startsWith('document.') || locator.startsWith('[...document.');
}

async function runPrepActions(page: Page, actions: string[], mode: EvaluationMode): Promise<void> {
  for (const action of actions) {
    try {
      await page.evaluate(asPageExpression(action));
    } catch {
      // WebArena wraps the whole list in one try, so the first failure skips the rest.
      if (mode === 'webarena') return;
    }
  }
}

/** The locator's value in the page: "" for an error or a falsy result, else the result stringified as Python would. */
async function evaluateLocator(page: Page, locator: string): Promise<string> {
  try {
    const value: unknown = await page.evaluate(asPageExpression(locator));
    if (!value) return '';
    return pythonStr(value);
  } catch {
    return '';
  }
}

async function selectContent(input: ProgramHtmlInput, target: ProgramHtmlTarget, index: number): Promise<string> {
  const { page, task, mode, siteUrls } = input;
  const helperContext = () => ({ page, siteUrls, lastUrl: mode === 'webarena' ? page.url() : input.finalUrl });
  let targetUrl = replacePlaceholders(target.url, siteUrls);
  if (isFuncExpression(targetUrl)) targetUrl = await callFuncExpression(targetUrl, input.funcHelpers, helperContext());
  if (targetUrl !== 'last') {
    try {
      await page.goto(targetUrl, { timeout: PROGRAM_HTML_NAVIGATION_TIMEOUT_MS });
    } catch (error) {
      throw new EvaluationError('program_html', task.task_id, `target ${index} could not open ${targetUrl}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    await page.waitForLoadState('networkidle', { timeout: PROGRAM_HTML_SETTLE_TIMEOUT_MS }).catch(() => undefined);
  }
  const locator = replacePlaceholders(target.locator, siteUrls);
  if (locator.trim() === '') return page.content();
  if (isJavaScriptLocator(locator)) {
    await runPrepActions(page, target.prep_actions ?? [], mode);
    return evaluateLocator(page, locator);
  }
  if (isFuncExpression(locator)) return callFuncExpression(locator, input.funcHelpers, helperContext());
  throw new EvaluationError('program_html', task.task_id, `target ${index} has an unknown locator ${JSON.stringify(locator)}`);
}

function scoreContents(target: ProgramHtmlTarget, content: string): { score: number; detail: string } {
  const { exact_match: exact, must_include: mustInclude } = target.required_contents;
  if (exact !== undefined) {
    const score = scoreExactMatch(exact, content);
    return { score, detail: `exact_match ${JSON.stringify(exact)}: ${score}` };
  }
  let score = 1;
  const parts: string[] = [];
  const haystack = cleanAnswer(content);
  for (const item of mustInclude ?? []) {
    const found = item.split(OR_SEPARATOR).some((alternative) => haystack.includes(cleanAnswer(alternative)));
    parts.push(`must_include ${JSON.stringify(item)}: ${found ? 1 : 0}`);
    score *= found ? 1 : 0;
  }
  return { score, detail: parts.join(', ') };
}

const EXCERPT_LENGTH = 200;

/**
 * program_html: for each target in order, open its URL unless "last", run prep actions, read the
 * locator's value, HTML-unescape it and check the required contents; the scores are multiplied.
 */
export async function scoreProgramHtml(input: ProgramHtmlInput): Promise<EvaluatorResult> {
  let score = 1;
  const details: string[] = [];
  const targets = input.task.eval.program_html;
  if (targets.length === 0) throw new EvaluationError('program_html', input.task.task_id, 'the task has no program_html targets');
  for (const [index, target] of targets.entries()) {
    const content = decodeHTML(await selectContent(input, target, index));
    const result = scoreContents(target, content);
    const excerpt = content.length > EXCERPT_LENGTH ? `${content.slice(0, EXCERPT_LENGTH)}...` : content;
    details.push(`target ${index} (${target.url}) read ${JSON.stringify(excerpt)}: ${result.detail}`);
    score *= result.score;
  }
  return { type: 'program_html', score, detail: details.join('; ') };
}
