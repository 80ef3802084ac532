import type { EvaluationComparison } from '../metrics/compare-evaluations';

const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const signedPercent = (value: number | null) => (value === null ? '-' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`);
const fixed = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));
const range = (pair: [number, number] | null, format: (value: number) => string) => (pair ? `${format(pair[0])}..${format(pair[1])}` : '-');

/** `ratchet compare`'s text: each side's figures, the paired difference, and capabilities gained and lost. */
export function formatEvaluationComparison(comparison: EvaluationComparison, names: { baseline: string; candidate: string }): string {
  const confidence = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  const rows: Array<[string, string, string]> = [
    ['', 'A', 'B'],
    ['evaluation', names.baseline, names.candidate],
    ['functional correctness', percent(comparison.baseline.functionalCorrectness), percent(comparison.candidate.functionalCorrectness)],
    [`${confidence} CI`, range(comparison.baseline.functionalCorrectnessCi, percent), range(comparison.candidate.functionalCorrectnessCi, percent)],
    ['capability score', String(comparison.baseline.capabilityScore), String(comparison.candidate.capabilityScore)],
    ['VERTEX_DTW', fixed(comparison.baseline.vertexDtw, 3), fixed(comparison.candidate.vertexDtw, 3)],
    ['avg trajectory length', fixed(comparison.baseline.avgTrajectoryLength, 2), fixed(comparison.candidate.avgTrajectoryLength, 2)],
    ['invalid-action rate', percent(comparison.baseline.invalidActionRate), percent(comparison.candidate.invalidActionRate)],
  ];
  const width = (column: 0 | 1 | 2) => Math.max(...rows.map((row) => row[column].length));
  const lines = rows.map((row) => `${row[0].padEnd(width(0))}  ${row[1].padEnd(width(1))}  ${row[2]}`.trimEnd());
  const skipped = comparison.onlyBaselineTaskIds.length + comparison.onlyCandidateTaskIds.length;
  return [
    `compared on the ${comparison.sharedTasks} tasks both scored${skipped ? ` (left out: only A ${comparison.onlyBaselineTaskIds.join(',') || 'none'}; only B ${comparison.onlyCandidateTaskIds.join(',') || 'none'})` : ''}`,
    ...lines,
    `difference B - A: ${signedPercent(comparison.difference)} (${confidence} CI ${range(comparison.differenceCi, signedPercent)}; paired bootstrap, ${comparison.bootstrap.resamples} resamples, seed ${comparison.bootstrap.seed})`,
    `without trivial tasks: ${signedPercent(comparison.differenceNonTrivial)} (${confidence} CI ${range(comparison.differenceNonTrivialCi, signedPercent)})`,
    `capabilities gained by B: ${comparison.capabilitiesGained.join(', ') || 'none'}`,
    `capabilities lost by B: ${comparison.capabilitiesLost.join(', ') || 'none'}`,
  ].join('\n');
}
