/**
 * Why `text` is not JSON, with the line and column where the parser stopped: `not valid JSON at
 * line 3, column 7: Unexpected token ...`. Node 20's messages give only a character offset.
 */
export function describeJsonSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return 'not valid JSON: the file is empty';
  const offset = /at position (\d+)/.exec(message)?.[1];
  // A file cut short fails at its end, and V8 does not say where that is.
  const position = offset === undefined ? (/end of JSON input/.test(message) ? text.length : null) : Number(offset);
  if (position === null) return `not valid JSON: ${message}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message}`;
}
