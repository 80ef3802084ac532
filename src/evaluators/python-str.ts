/**
 * Python's str() of a value as Playwright for Python returns it from page.evaluate, so that a locator
 * returning a list or a number is stringified as WebArena's harness saw it (`['a', 'b']`, `True`).
 */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const character of text) {
    if (character === '\\') body += '\\\\';
    else if (character === quote) body += `\\${quote}`;
    else if (character === '\n') body += '\\n';
    else if (character === '\r') body += '\\r';
    else if (character === '\t') body += '\\t';
    else if (character < ' ' || character === '\x7f') body += `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else body += character;
  }
  return `${quote}${body}${quote}`;
}

function pythonNumberRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  // Functions and symbols do not survive Playwright's serialisation; name their type.
  return `<${typeof value}>`;
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumberRepr(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${pythonStringRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
  }
  // Functions and symbols do not survive Playwright's serialisation; name their type.
  return `<${typeof value}>`;
}
