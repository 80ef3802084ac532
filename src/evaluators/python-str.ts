import { pythonStringRepr } from '../domain/python-repr';

/**
 * Python's str() of a value as Playwright for Python returns it from page.evaluate, so that a locator
 * returning a list or a number is stringified as WebArena's harness saw it (`['a', 'b']`, `True`).
 */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
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
