// Characters Python's str.isprintable() rejects (other than the plain space), which repr() escapes.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeCodePoint(codePoint: number): string {
  if (codePoint < 0x100) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if (codePoint < 0x10000) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\U${codePoint.toString(16).padStart(8, '0')}`;
}

/**
 * Python's repr() of a str, which WebArena uses to print accessibility names: single quotes unless
 * the text holds a single quote and no double quote; backslash, the quote, \t \n \r and
 * non-printable characters escaped.
 */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    if (char === '\\') body += '\\\\';
    else if (char === quote) body += `\\${quote}`;
    else if (char === '\t') body += '\\t';
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char !== ' ' && NON_PRINTABLE.test(char)) body += escapeCodePoint(char.codePointAt(0) ?? 0);
    else body += char;
  }
  return `${quote}${body}${quote}`;
}
