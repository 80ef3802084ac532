/** The outcome of checking a model reply's format: the structured value, or what is wrong. */
export type ReplyCheck<T> = { ok: true; value: T } | { ok: false; error: string };

/** A failed check. */
export function rejectReply<T>(error: string): ReplyCheck<T> {
  return { ok: false, error };
}

/** The values of every `LABEL: value` line of a reply (label matched case-insensitively at line start). */
export function labelledLines(reply: string, label: string): string[] {
  const prefix = `${label.toLowerCase()}:`;
  return reply
    .split('\n')
    .map((line) => line.trim().replace(/^\*\*(.+?)\*\*/, '$1'))
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** The value of a labelled line that must occur exactly once. */
export function singleLabelledLine(reply: string, label: string): ReplyCheck<string> {
  const values = labelledLines(reply, label);
  if (values.length !== 1) return rejectReply(`expected exactly one '${label}:' line, found ${values.length}`);
  const value = values[0] ?? '';
  if (value === '') return rejectReply(`the '${label}:' line is empty`);
  return { ok: true, value };
}
