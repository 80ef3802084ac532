import { OR_SEPARATOR, type TaskConfig } from '../tasks/task-config';
import { EvaluationError } from './evaluation-error';
import type { EvaluationMode } from './evaluation-mode';
import type { EvaluatorResult } from './evaluator-result';
import { parsePythonQuery, parsePythonUrl } from './python-url';

function stripTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

interface UrlParts {
  basePath: string;
  query: Map<string, string[]>;
}

function urlParts(url: string): UrlParts {
  const parsed = parsePythonUrl(url);
  return { basePath: stripTrailingSlashes(parsed.netloc + parsed.path), query: parsePythonQuery(parsed.query) };
}

function queryMatches(reference: Map<string, Set<string>>, predicted: Map<string, string[]>): boolean {
  for (const [key, values] of reference) {
    const predictedValues = predicted.get(key) ?? [];
    if (![...values].some((value) => predictedValues.includes(value))) return false;
  }
  return true;
}

function toSets(query: Map<string, string[]>): Map<string, Set<string>> {
  return new Map([...query].map(([key, values]) => [key, new Set(values)]));
}

/**
 * url_match ("GOLD in PRED"): trailing slashes stripped; some reference host+path must be a
 * substring of the predicted host+path (scheme, query and fragment ignored); every reference query
 * key must have one of its values in the prediction. In `webarena` mode the queries of all
 * ` |OR| ` alternatives are merged; in `ratchet` mode each alternative is checked on its own.
 */
export function scoreUrlMatch(input: { task: TaskConfig; finalUrl: string; mode: EvaluationMode }): EvaluatorResult {
  const { task, mode } = input;
  const referenceUrl = task.eval.reference_url;
  if (!referenceUrl) throw new EvaluationError('url_match', task.task_id, 'the task has no reference_url');
  const predicted = urlParts(stripTrailingSlashes(input.finalUrl));
  const references = referenceUrl.split(OR_SEPARATOR).map((url) => urlParts(stripTrailingSlashes(url)));

  let score: number;
  if (mode === 'webarena') {
    const merged = new Map<string, Set<string>>();
    for (const reference of references) {
      for (const [key, values] of reference.query) {
        const set = merged.get(key) ?? new Set<string>();
        for (const value of values) set.add(value);
        merged.set(key, set);
      }
    }
    const baseMatches = references.some((reference) => predicted.basePath.includes(reference.basePath));
    score = baseMatches && queryMatches(merged, predicted.query) ? 1 : 0;
  } else {
    score = references.some((reference) => predicted.basePath.includes(reference.basePath) && queryMatches(toSets(reference.query), predicted.query)) ? 1 : 0;
  }
  return { type: 'url_match', score, detail: `final URL ${JSON.stringify(input.finalUrl)} against ${JSON.stringify(referenceUrl)}: ${score}` };
}
