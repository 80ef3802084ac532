/**
 * The parts of Python's urllib.parse that WebArena's url_match relies on, reproduced so that scores
 * agree: urlparse's netloc/path split (with `;params` cut from the last segment) and parse_qs's
 * query parsing ('&' separators, '+' as space, lenient percent-decoding, blank values dropped).
 */

export interface ParsedUrl {
  netloc: string;
  path: string;
  query: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Splits a URL as Python's urlparse does (scheme, netloc, path; params, query and fragment set aside). */
export function parsePythonUrl(url: string): ParsedUrl {
  let rest = url;
  const scheme = SCHEME.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end === -1 ? '' : rest.slice(end + 2);
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const query = question === -1 ? '' : rest.slice(question + 1);
  let path = question === -1 ? rest : rest.slice(0, question);
  const params = path.indexOf(';', path.lastIndexOf('/'));
  if (params !== -1) path = path.slice(0, params);
  return { netloc, path, query };
}

/** Percent-decodes like Python's unquote: UTF-8 with replacement characters, malformed escapes left as written. */
export function unquotePython(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let index = 0; index < bytes.length; index += 1) bytes[index] = Number.parseInt(run.slice(index * 3 + 1, index * 3 + 3), 16);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  });
}

/** Parses a query string as Python's parse_qs does by default: key -> values, blank values dropped. */
export function parsePythonQuery(query: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    const rawValue = pair.slice(equals + 1);
    if (rawValue.length === 0) continue;
    const key = unquotePython(pair.slice(0, equals).replaceAll('+', ' '));
    const value = unquotePython(rawValue.replaceAll('+', ' '));
    const values = result.get(key) ?? [];
    values.push(value);
    result.set(key, values);
  }
  return result;
}
