/**
 * WebArena writes site URLs as placeholders (`__SHOPPING__`, `__REDDIT__`, ...) that are replaced as
 * plain text from configuration before a task is used.
 */

/** Replaces every placeholder key of `placeholders` in `text` with its value. */
export function replacePlaceholders(text: string, placeholders: Record<string, string>): string {
  // Longest keys first so that a key that contains another key is replaced whole.
  const keys = Object.keys(placeholders).sort((a, b) => b.length - a.length);
  let result = text;
  for (const key of keys) result = result.replaceAll(key, placeholders[key] ?? key);
  return result;
}

/** Returns a copy of a JSON value with placeholders replaced in every string it holds (keys untouched). */
export function replacePlaceholdersDeep<T>(value: T, placeholders: Record<string, string>): T {
  if (Object.keys(placeholders).length === 0) return value;
  return replaceIn(value, placeholders) as T;
}

function replaceIn(value: unknown, placeholders: Record<string, string>): unknown {
  if (typeof value === 'string') return replacePlaceholders(value, placeholders);
  if (Array.isArray(value)) return value.map((item) => replaceIn(item, placeholders));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIn(item, placeholders)]));
  }
  return value;
}
