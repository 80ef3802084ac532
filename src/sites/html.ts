import { escapeUTF8 } from 'entities';

/** Markup that is already escaped and may be embedded as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated into `html`: strings and numbers are escaped, SafeHtml is kept, lists are joined. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(renderValue).join('');
  // false/null/undefined render nothing so `${cond && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeUTF8(String(value));
}

/** Tagged template that HTML-escapes every interpolated value except SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += renderValue(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}
