import type { ReportExperiment } from './report-data';

const percent = (value: number | null | undefined) => (value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);
const signedPercent = (value: number | null | undefined) => (value === null || value === undefined ? '-' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`);
const fixed = (value: number | null | undefined, digits: number) => (value === null || value === undefined ? '-' : value.toFixed(digits));
const range = (pair: [number, number] | null | undefined, format: (value: number) => string) => (pair ? `${format(pair[0])}..${format(pair[1])}` : '-');
const list = (values: string[]) => (values.length ? values.join(',') : 'none');

/**
 * The experiment as a plain-text table: the base model, then one row per mixture with its dataset's
 * composition, functional correctness with its CI, the paired difference from the base with its CI,
 * capability score with the capabilities gained and lost, VERTEX_DTW, trajectory length and invalid actions.
 */
export function formatExperimentTable(experiment: ReportExperiment): string {
  const header = ['model', 'dataset', 'correct', '95% CI', 'vs base', '95% CI', 'capab.', 'gained', 'lost', 'VERTEX_DTW', 'length', 'invalid'];
  const rows: string[][] = [];
  const base = experiment.base;
  rows.push(['base', '-', percent(base?.functionalCorrectness), range(base?.functionalCorrectnessCi, percent), '-', '-',
    base ? String(base.capabilityScore) : '-', '-', '-', fixed(base?.vertexDtw, 3), fixed(base?.avgTrajectoryLength, 2), percent(base?.invalidActionRate)]);
  for (const row of experiment.rows) {
    const comparison = row.comparison;
    const candidate = comparison?.candidate;
    const composition = Object.entries(row.composition).map(([source, count]) => `${source} ${count}`).join(' + ') || '-';
    const skipped = row.skippedSteps.length ? ` (skipped: ${row.skippedSteps.join(', ')})` : '';
    rows.push([
      `mixture ${row.mixture}${skipped}`, composition,
      percent(candidate?.functionalCorrectness), range(candidate?.functionalCorrectnessCi, percent),
      signedPercent(comparison?.difference), range(comparison?.differenceCi, signedPercent),
      candidate ? String(candidate.capabilityScore) : '-',
      comparison ? list(comparison.capabilitiesGained) : '-', comparison ? list(comparison.capabilitiesLost) : '-',
      fixed(candidate?.vertexDtw, 3), fixed(candidate?.avgTrajectoryLength, 2), percent(candidate?.invalidActionRate),
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const shared = experiment.rows.map((row) => row.comparison?.sharedTasks).filter((count): count is number => count !== undefined);
  const note = shared.length ? `mixtures compared with the base on the tasks both scored (${[...new Set(shared)].join('/')} tasks; paired bootstrap)` : 'no mixture has been compared with the base yet';
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), note].join('\n');
}
