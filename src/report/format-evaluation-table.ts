import { reportDataSchema } from './report-data';

const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const fixed = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));

/** The report's evaluations as a plain-text table for the terminal. */
export function formatEvaluationTable(report: unknown): string {
  const data = reportDataSchema.parse(report);
  const header = ['evaluation', 'model', 'correct', '95% CI', 'w/o trivial', 'capab.', 'gained', 'lost', 'VERTEX_DTW', 'length', 'invalid'];
  const rows = data.evaluations.map((evaluation) => [
    evaluation.label,
    evaluation.model,
    percent(evaluation.functionalCorrectness),
    evaluation.functionalCorrectnessCi ? `${percent(evaluation.functionalCorrectnessCi[0])}-${percent(evaluation.functionalCorrectnessCi[1])}` : '-',
    percent(evaluation.functionalCorrectnessNonTrivial),
    String(evaluation.capabilityScore),
    evaluation.comparedWith ? String(evaluation.capabilitiesGained.length) : '-',
    evaluation.comparedWith ? String(evaluation.capabilitiesLost.length) : '-',
    fixed(evaluation.vertexDtw, 3),
    fixed(evaluation.avgTrajectoryLength, 2),
    percent(evaluation.invalidActionRate),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
