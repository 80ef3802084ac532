import { EVALUATION_SUMMARY_METRIC, evaluationMetricsSchema, type EvaluationMetrics } from '../domain/evaluation-metrics';
import { compareEvaluations, type EvaluationComparison } from '../metrics/compare-evaluations';
import type { BootstrapOptions } from '../metrics/bootstrap-interval';
import type { Queryable } from '../storage/database';
import { getEvaluation, getMetricValues, listEvaluations, type EvaluationRow } from '../storage/evaluations';

/** An evaluation handle that names nothing stored, or one without metrics; the message says which and why. */
export class UnknownEvaluationError extends Error {
  override readonly name = 'UnknownEvaluationError';
  constructor(readonly handle: string, reason: string) {
    super(`evaluation '${handle}': ${reason}`);
  }
}

/**
 * Finds an evaluation by its id (`<run>/baseline`, `<run>/round-1/evaluate`, `<run>/mixture-A/evaluate`)
 * or by `<run>:<label>` (the label the report shows: `base`, `round 1`, `mixture A`).
 */
export async function findEvaluation(db: Queryable, handle: string): Promise<EvaluationRow> {
  const byId = await db.query('SELECT 1 FROM evaluations WHERE id = $1', [handle]);
  if (byId.rowCount) return getEvaluation(db, handle);
  const separator = handle.lastIndexOf(':');
  if (separator <= 0) throw new UnknownEvaluationError(handle, `no evaluation has this id (give an evaluation id such as <run>/baseline, or <run>:<label>)`);
  const runId = handle.slice(0, separator);
  const label = handle.slice(separator + 1);
  const ofRun = await listEvaluations(db, { runId });
  if (ofRun.length === 0) throw new UnknownEvaluationError(handle, `no evaluation has this id, and run '${runId}' has no evaluations (see 'npx ratchet status')`);
  const matches = ofRun.filter((evaluation) => evaluation.label === label);
  if (matches.length !== 1) {
    const known = ofRun.map((evaluation) => `${runId}:${evaluation.label} (${evaluation.id})`).join(', ');
    throw new UnknownEvaluationError(handle, `${matches.length ? 'several evaluations have' : 'no evaluation has'} the label '${label}' in run '${runId}'; its evaluations: ${known}`);
  }
  return matches[0]!;
}

async function storedMetrics(db: Queryable, evaluation: EvaluationRow, handle: string): Promise<EvaluationMetrics> {
  const stored = (await getMetricValues(db, evaluation.id)).get(EVALUATION_SUMMARY_METRIC);
  const parsed = evaluationMetricsSchema.safeParse(stored?.detail);
  if (!parsed.success) throw new UnknownEvaluationError(handle, `evaluation ${evaluation.id} has no stored metrics (status ${evaluation.status}; is it still running?)`);
  return parsed.data;
}

export interface StoredEvaluationComparison {
  baseline: { id: string; label: string; model: string; run: string | null };
  candidate: { id: string; label: string; model: string; run: string | null };
  comparison: EvaluationComparison;
}

/** Compares two stored evaluations (B against A) on the tasks both scored; see compareEvaluations. */
export async function compareStoredEvaluations(db: Queryable, handleA: string, handleB: string, bootstrap: Partial<Required<BootstrapOptions>> = {}): Promise<StoredEvaluationComparison> {
  const a = await findEvaluation(db, handleA);
  const b = await findEvaluation(db, handleB);
  const comparison = compareEvaluations(await storedMetrics(db, a, handleA), await storedMetrics(db, b, handleB), bootstrap);
  const describe = (row: EvaluationRow) => ({ id: row.id, label: row.label, model: row.model_id, run: row.run_id });
  return { baseline: describe(a), candidate: describe(b), comparison };
}
