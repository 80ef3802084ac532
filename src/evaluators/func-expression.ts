/**
 * WebArena's `func:name(args)` expressions, as written in program_html `url` and `locator` fields.
 * WebArena evaluates them as Python; we accept the subset its tasks use: a helper name and
 * arguments that are quoted string literals or the bare `__page__` marker.
 */

/** One argument of a func expression: a string literal, or the page the evaluator is looking at. */
export type FuncArgument = { kind: 'string'; value: string } | { kind: 'page' };

/** A parsed `func:` expression. */
export interface FuncExpression {
  name: string;
  args: FuncArgument[];
}

/** A `func:` expression that does not parse; the message names the expression and what is wrong. */
export class FuncExpressionError extends Error {
  override readonly name = 'FuncExpressionError';
  constructor(readonly expression: string, reason: string) {
    super(`func expression ${JSON.stringify(expression)}: ${reason}`);
  }
}

export const FUNC_PREFIX = 'func:';
const PAGE_MARKER = '__page__';
const PYTHON_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** Whether a program_html url or locator is a `func:` expression. */
export function isFuncExpression(text: string): boolean {
  return text.startsWith(FUNC_PREFIX);
}

/** Parses `func:name(arg, ...)`; throws FuncExpressionError on anything else. */
export function parseFuncExpression(expression: string): FuncExpression {
  if (!isFuncExpression(expression)) throw new FuncExpressionError(expression, `does not start with "${FUNC_PREFIX}"`);
  const body = expression.slice(FUNC_PREFIX.length).trim();
  const call = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)$/.exec(body);
  if (!call) throw new FuncExpressionError(expression, 'expected name(arguments)');
  const [, name = '', argumentText = ''] = call;
  return { name, args: parseArguments(expression, argumentText) };
}

function parseArguments(expression: string, text: string): FuncArgument[] {
  const args: FuncArgument[] = [];
  let position = 0;
  const skipSpaces = () => {
    while (position < text.length && /\s/.test(text[position] ?? '')) position += 1;
  };
  skipSpaces();
  while (position < text.length) {
    const quote = text[position];
    if (quote === "'" || quote === '"') {
      const literal = readStringLiteral(expression, text, position);
      args.push({ kind: 'string', value: literal.value });
      position = literal.end;
    } else if (text.startsWith(PAGE_MARKER, position)) {
      args.push({ kind: 'page' });
      position += PAGE_MARKER.length;
    } else {
      throw new FuncExpressionError(expression, `unsupported argument at ${JSON.stringify(text.slice(position))} (only quoted strings and ${PAGE_MARKER})`);
    }
    skipSpaces();
    if (position >= text.length) break;
    if (text[position] !== ',') throw new FuncExpressionError(expression, `expected "," between arguments at ${JSON.stringify(text.slice(position))}`);
    position += 1;
    skipSpaces();
  }
  return args;
}

function readStringLiteral(expression: string, text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let position = start + 1;
  while (position < text.length) {
    const character = text[position] ?? '';
    if (character === quote) return { value, end: position + 1 };
    if (character === '\\') {
      const next = text[position + 1] ?? '';
      // Python keeps unknown escapes such as "\d" as written.
      value += PYTHON_ESCAPES[next] ?? `\\${next}`;
      position += 2;
      continue;
    }
    value += character;
    position += 1;
  }
  throw new FuncExpressionError(expression, 'unterminated string literal');
}
