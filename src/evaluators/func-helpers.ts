import type { Page } from 'playwright-core';
import { parseFuncExpression } from './func-expression';

/** What a func helper sees: the page being judged, the URL the episode ended on, and the site base URLs. */
export interface FuncHelperContext {
  page: Page;
  lastUrl: string;
  /** Placeholder -> base URL, e.g. `__SHOPPING__` -> `http://127.0.0.1:7770`. */
  siteUrls: Record<string, string>;
}

/**
 * A named helper that WebArena tasks call as `func:name(args)`. `args` are the expression's string
 * arguments in order, with `__last_url__` already replaced by the last URL; a bare `__page__`
 * argument is not passed (the page is in the context).
 */
export type FuncHelper = (context: FuncHelperContext, args: string[]) => Promise<string>;

/** A func expression names a helper that is not in the map given to the evaluator. */
export class UnknownFuncHelperError extends Error {
  override readonly name = 'UnknownFuncHelperError';
  constructor(readonly helperName: string, readonly expression: string, known: string[]) {
    super(`func expression ${JSON.stringify(expression)}: unknown helper "${helperName}" (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
}

const LAST_URL_MARKER = '__last_url__';

/** Parses a `func:` expression, substitutes `__last_url__` and `__page__`, and calls the named helper. */
export async function callFuncExpression(expression: string, helpers: Record<string, FuncHelper>, context: FuncHelperContext): Promise<string> {
  const parsed = parseFuncExpression(expression);
  const helper = Object.hasOwn(helpers, parsed.name) ? helpers[parsed.name] : undefined;
  if (!helper) throw new UnknownFuncHelperError(parsed.name, expression, Object.keys(helpers).sort());
  const args = parsed.args.flatMap((arg) => (arg.kind === 'page' ? [] : [arg.value.replaceAll(LAST_URL_MARKER, context.lastUrl)]));
  return helper(context, args);
}
