import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { html, SafeHtml } from '../sites/html';
import type { StepRecord } from '../domain/trajectory';
import type { ReportData, ReportEpisode, ReportExperiment } from './report-data';

const require = createRequire(import.meta.url);
/** Chart.js's UMD build, inlined so the page is self-contained (no network needed to open it). */
const chartJsSource = (): string => readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #1d2430; padding: 0 16px; }
  h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d8dee8; padding-bottom: 4px; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
  th, td { border: 1px solid #d8dee8; padding: 4px 8px; text-align: left; vertical-align: top; }
  th { background: #f3f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
  .chart { border: 1px solid #d8dee8; border-radius: 6px; padding: 8px; height: 300px; }
  .muted { color: #5b6678; } .gained { color: #137333; } .lost { color: #b3261e; }
  pre { white-space: pre-wrap; background: #f6f8fa; padding: 8px; border-radius: 4px; font-size: 12px; max-height: 420px; overflow: auto; }
`;

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}
function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '-' : value.toFixed(digits);
}

/** JSON safe to embed inside a <script> element. */
function scriptJson(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/</g, '\\u003c'));
}

/** The client-side script that draws the charts from the embedded report data. */
const CHART_SCRIPT = `
const data = JSON.parse(document.getElementById('report-data').textContent);
const evals = data.evaluations;
const labels = evals.map(e => e.label);
const pct = v => v === null ? null : Math.round(v * 1000) / 10;
function chart(id, config) { new Chart(document.getElementById(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) } }); }
chart('chart-correctness', { type: 'bar', data: { labels, datasets: [
  { label: 'functional correctness (%)', data: evals.map(e => pct(e.functionalCorrectness)), backgroundColor: '#4c78a8' },
  { label: 'confidence interval (%)', data: evals.map(e => e.functionalCorrectnessCi ? [pct(e.functionalCorrectnessCi[0]), pct(e.functionalCorrectnessCi[1])] : null), backgroundColor: 'rgba(245,133,24,0.45)' },
  { label: 'without trivial tasks (%)', data: evals.map(e => pct(e.functionalCorrectnessNonTrivial)), backgroundColor: '#72b7b2' } ] },
  options: { plugins: { title: { display: true, text: 'Functional correctness with bootstrap CI' } }, scales: { y: { beginAtZero: true, title: { display: true, text: '%' } } } } });
chart('chart-capability', { type: 'bar', data: { labels, datasets: [
  { label: 'capability score', data: evals.map(e => e.capabilityScore), backgroundColor: '#54a24b' },
  { label: 'gained vs base', data: evals.map(e => e.capabilitiesGained.length), backgroundColor: '#8fd18a' },
  { label: 'lost vs base', data: evals.map(e => e.capabilitiesLost.length), backgroundColor: '#e45756' } ] },
  options: { plugins: { title: { display: true, text: 'Capabilities (groups with a solved task)' } }, scales: { y: { beginAtZero: true } } } });
const bins = Array.from({ length: 10 }, (_, i) => -1 + i * 0.2);
chart('chart-vertex', { type: 'bar', data: { labels: bins.map(b => b.toFixed(1) + '..' + (b + 0.2).toFixed(1)), datasets: evals.filter(e => e.vertexDtwPerTask.length).map((e, k) => ({
  label: e.label, backgroundColor: ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2', '#9d755d'][k % 6],
  data: bins.map(b => e.vertexDtwPerTask.filter(s => s >= b && (s < b + 0.2 || (b > 0.7 && s <= 1))).length) })) },
  options: { plugins: { title: { display: true, text: 'VERTEX_DTW per task (distribution)' } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'tasks' } } } } });
chart('chart-length', { type: 'bar', data: { labels, datasets: [
  { label: 'avg trajectory length (actions)', data: evals.map(e => e.avgTrajectoryLength), backgroundColor: '#b279a2', yAxisID: 'y' },
  { label: 'invalid-action rate (%)', data: evals.map(e => pct(e.invalidActionRate)), backgroundColor: '#ff9da6', yAxisID: 'y1' } ] },
  options: { plugins: { title: { display: true, text: 'Trajectory length and invalid actions' } }, scales: { y: { beginAtZero: true, position: 'left' }, y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } } } });
const rounds = data.rounds;
chart('chart-filter', { type: 'bar', data: { labels: rounds.map(r => 'round ' + r.number), datasets: [
  { label: 'precision', data: rounds.map(r => r.filterQuality && r.filterQuality.precision), backgroundColor: '#4c78a8' },
  { label: 'recall', data: rounds.map(r => r.filterQuality && r.filterQuality.recall), backgroundColor: '#f58518' },
  { label: 'F1', data: rounds.map(r => r.filterQuality && r.filterQuality.f1), backgroundColor: '#54a24b' } ] },
  options: { plugins: { title: { display: true, text: 'Critique filter quality against the evaluator' } }, scales: { y: { beginAtZero: true, max: 1 } } } });
chart('chart-tokens', { type: 'bar', data: { labels: [...labels, ...rounds.map(r => 'round ' + r.number + ' rollout')], datasets: [
  { label: 'prompt tokens', data: [...evals.map(e => e.tokens.prompt), ...rounds.map(r => r.trainingTokens.prompt)], backgroundColor: '#9d755d' },
  { label: 'completion tokens', data: [...evals.map(e => e.tokens.completion), ...rounds.map(r => r.trainingTokens.completion)], backgroundColor: '#bab0ac' } ] },
  options: { plugins: { title: { display: true, text: 'Tokens per evaluation and per round' } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
const experiment = data.experiment;
if (experiment) {
  const rows = experiment.rows;
  const base = experiment.base;
  chart('chart-experiment', { type: 'bar', data: { labels: ['base', ...rows.map(r => 'mixture ' + r.mixture)], datasets: [
    { label: 'functional correctness (%)', data: [base && pct(base.functionalCorrectness), ...rows.map(r => r.comparison && pct(r.comparison.candidate.functionalCorrectness))], backgroundColor: '#4c78a8' },
    { label: '95% CI (%)', data: [base && base.functionalCorrectnessCi ? base.functionalCorrectnessCi.map(pct) : null, ...rows.map(r => r.comparison && r.comparison.candidate.functionalCorrectnessCi ? r.comparison.candidate.functionalCorrectnessCi.map(pct) : null)], backgroundColor: 'rgba(245,133,24,0.45)' },
    { label: 'difference from base (%)', data: [0, ...rows.map(r => r.comparison && pct(r.comparison.difference))], backgroundColor: '#54a24b' },
    { label: 'capability score', data: [base && base.capabilityScore, ...rows.map(r => r.comparison && r.comparison.candidate.capabilityScore)], backgroundColor: '#b279a2', yAxisID: 'y1' } ] },
    options: { plugins: { title: { display: true, text: 'Mixtures against the base model (paired, tasks both scored)' } }, scales: { y: { title: { display: true, text: '%' } }, y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } } } });
}
`;

/** The self-contained report page (charts, tables, links to trajectory pages). */
export function renderReportHtml(data: ReportData): string {
  const evaluationRows = data.evaluations.map((evaluation) => html`<tr>
    <td>${evaluation.label}</td><td>${evaluation.model}</td>
    <td class="num">${percent(evaluation.functionalCorrectness)}</td>
    <td class="num">${evaluation.functionalCorrectnessCi ? `${percent(evaluation.functionalCorrectnessCi[0])} - ${percent(evaluation.functionalCorrectnessCi[1])}` : '-'}</td>
    <td class="num">${percent(evaluation.functionalCorrectnessNonTrivial)}</td>
    <td class="num">${evaluation.capabilityScore}</td>
    <td class="num">${fixed(evaluation.vertexDtw)}</td>
    <td class="num">${fixed(evaluation.avgTrajectoryLength, 2)}</td>
    <td class="num">${percent(evaluation.invalidActionRate)}</td>
    <td class="num">${evaluation.tokens.prompt + evaluation.tokens.completion}</td>
    <td class="num">${evaluation.episodes}</td></tr>`);
  const capabilityRows = data.evaluations.filter((evaluation) => evaluation.comparedWith).map((evaluation) => html`<tr>
    <td>${evaluation.label}</td><td>${evaluation.comparedWith}</td>
    <td class="gained">${evaluation.capabilitiesGained.join(', ') || 'none'}</td>
    <td class="lost">${evaluation.capabilitiesLost.join(', ') || 'none'}</td></tr>`);
  const roundRows = data.rounds.map((round) => html`<tr>
    <td>${round.number}</td><td>${round.status}</td><td>${round.candidateModel ?? '-'}</td>
    <td>${round.filterQuality ? `${round.filterQuality.keptCount} of ${round.filterQuality.total}` : '-'}</td>
    <td class="num">${fixed(round.filterQuality?.precision)}</td><td class="num">${fixed(round.filterQuality?.recall)}</td><td class="num">${fixed(round.filterQuality?.f1)}</td>
    <td>${round.steps.map((step) => `${step.step}: ${step.status}${step.attempts > 1 ? ` (${step.attempts} attempts)` : ''}${step.error ? ` - ${step.error}` : ''}`).join('; ')}</td>
    <td><pre>${JSON.stringify(round.promotion, null, 1)}</pre></td></tr>`);
  const experimentSection = data.experiment ? renderExperimentSection(data.experiment) : '';
  const episodeRows = data.episodes.map((episode) => html`<tr>
    <td><a href="${episode.page}">${episode.id}</a></td><td class="num">${episode.taskId}</td><td>${episode.model}</td>
    <td class="num">${episode.score ?? '-'}</td><td class="num">${episode.length ?? '-'}</td><td>${episode.answer ?? ''}</td><td>${episode.earlyStopReason ?? ''}</td></tr>`);

  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><title>Ratchet report: ${data.run.id}</title>
<style>${new SafeHtml(STYLE)}</style></head><body>
<header><h1>Ratchet report: ${data.run.id}</h1>
<p class="muted">run ${data.run.status}${data.run.stopReason ? ` (${data.run.stopReason})` : ''}; champion ${data.run.champion ?? '-'}; ${data.run.rounds} round(s), mixture ${data.run.mixture}; generated ${data.generatedAt}</p></header>
<main>
<h2>Evaluations</h2>
<table><thead><tr><th>evaluation</th><th>model</th><th>functional correctness</th><th>95% CI</th><th>without trivial</th><th>capability score</th><th>VERTEX_DTW</th><th>avg length</th><th>invalid actions</th><th>tokens</th><th>episodes</th></tr></thead>
<tbody>${evaluationRows}</tbody></table>
${experimentSection}
<section class="charts">
<div class="chart"><canvas id="chart-correctness" aria-label="functional correctness"></canvas></div>
<div class="chart"><canvas id="chart-capability" aria-label="capability score"></canvas></div>
<div class="chart"><canvas id="chart-vertex" aria-label="VERTEX_DTW distribution"></canvas></div>
<div class="chart"><canvas id="chart-length" aria-label="trajectory length and invalid actions"></canvas></div>
<div class="chart"><canvas id="chart-filter" aria-label="filter precision and recall"></canvas></div>
<div class="chart"><canvas id="chart-tokens" aria-label="tokens"></canvas></div>
</section>
<h2>Capabilities gained and lost</h2>
<table><thead><tr><th>evaluation</th><th>compared with</th><th>gained</th><th>lost</th></tr></thead><tbody>${capabilityRows}</tbody></table>
<h2>Rounds</h2>
<table><thead><tr><th>round</th><th>status</th><th>candidate model</th><th>kept</th><th>filter precision</th><th>recall</th><th>F1</th><th>steps</th><th>promotion gate</th></tr></thead><tbody>${roundRows}</tbody></table>
<h2>Trajectories</h2>
<table><thead><tr><th>episode</th><th>task</th><th>model</th><th>score</th><th>length</th><th>answer</th><th>early stop</th></tr></thead><tbody>${episodeRows}</tbody></table>
</main>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${new SafeHtml(chartJsSource())}</script>
<script>${new SafeHtml(CHART_SCRIPT)}</script>
</body></html>`.value}\n`;
}

/** The experiment: the base model and each mixture against it, with a chart. */
function renderExperimentSection(experiment: ReportExperiment): SafeHtml {
  const range = (pair: [number, number] | null | undefined, format: (value: number) => string) => (pair ? `${format(pair[0])} - ${format(pair[1])}` : '-');
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  const base = experiment.base;
  const rows = experiment.rows.map((row) => {
    const comparison = row.comparison;
    return html`<tr>
    <td>mixture ${row.mixture}${row.skippedSteps.length ? ` (skipped: ${row.skippedSteps.join(', ')})` : ''}</td><td>${row.model ?? '-'}</td>
    <td>${Object.entries(row.composition).map(([source, count]) => `${source} ${count}`).join(' + ') || '-'}</td>
    <td class="num">${percent(comparison?.candidate.functionalCorrectness)}</td>
    <td class="num">${range(comparison?.candidate.functionalCorrectnessCi, (value) => percent(value))}</td>
    <td class="num">${comparison?.difference === null || comparison?.difference === undefined ? '-' : signed(comparison.difference)}</td>
    <td class="num">${range(comparison?.differenceCi, signed)}</td>
    <td class="num">${comparison ? comparison.candidate.capabilityScore : '-'}</td>
    <td class="gained">${comparison ? comparison.capabilitiesGained.join(', ') || 'none' : '-'}</td>
    <td class="lost">${comparison ? comparison.capabilitiesLost.join(', ') || 'none' : '-'}</td>
    <td class="num">${fixed(comparison?.candidate.vertexDtw)}</td>
    <td class="num">${fixed(comparison?.candidate.avgTrajectoryLength, 2)}</td>
    <td class="num">${percent(comparison?.candidate.invalidActionRate)}</td></tr>`;
  });
  return html`<h2 id="experiment">Experiment: mixtures ${experiment.mixtures.join(', ')} from one rollout of the base model</h2>
<p class="muted">Each mixture's model is compared with the base model on the tasks both scored; the difference is paired (bootstrap CI).</p>
<table><thead><tr><th>model</th><th>model id</th><th>dataset</th><th>functional correctness</th><th>95% CI</th><th>vs base</th><th>95% CI</th><th>capability score</th><th>gained</th><th>lost</th><th>VERTEX_DTW</th><th>avg length</th><th>invalid actions</th></tr></thead>
<tbody><tr><td>base</td><td>${base?.model ?? '-'}</td><td>-</td><td class="num">${percent(base?.functionalCorrectness)}</td><td class="num">${range(base?.functionalCorrectnessCi, (value) => percent(value))}</td><td class="num">-</td><td class="num">-</td>
<td class="num">${base ? base.capabilityScore : '-'}</td><td>-</td><td>-</td><td class="num">${fixed(base?.vertexDtw)}</td><td class="num">${fixed(base?.avgTrajectoryLength, 2)}</td><td class="num">${percent(base?.invalidActionRate)}</td></tr>
${rows}</tbody></table>
<div class="chart"><canvas id="chart-experiment" aria-label="mixtures against the base model"></canvas></div>`;
}

/** One trajectory: each step's observation, response and action, and how to open its Playwright trace. */
export function renderEpisodeHtml(episode: ReportEpisode, steps: StepRecord[], traceFile: string | null): string {
  const stepSections = steps.map((step) => html`<section>
<h2>Step ${step.index + 1}: ${step.actionText ?? 'unparsable output'}${step.valid ? '' : ` (invalid: ${step.invalidKind ?? ''})`}</h2>
<p class="muted">${step.url} - previous action: ${step.previousAction} - ${step.promptTokens}+${step.completionTokens} tokens, model ${Math.round(step.timings.modelMs)} ms, action ${Math.round(step.timings.actionMs)} ms</p>
<h3>Observation</h3><pre>${step.observation}</pre>
<h3>Response</h3><pre>${step.response}</pre>
${step.error ? html`<p class="lost">${step.error}</p>` : ''}
</section>`);
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><title>Episode ${episode.id}</title><style>${new SafeHtml(STYLE)}</style></head><body>
<p><a href="../index.html">back to the report</a></p>
<h1>Episode ${episode.id}</h1>
<p>task ${episode.taskId}, model ${episode.model}, score ${episode.score ?? '-'}, ${episode.length ?? 0} actions, answer: ${episode.answer ?? '-'}${episode.earlyStopReason ? `, early stop: ${episode.earlyStopReason}` : ''}</p>
${traceFile ? html`<p>Playwright trace: <a href="${traceFile}">${traceFile}</a> (open with <code>npx playwright-core show-trace ${traceFile}</code>)</p>` : html`<p class="muted">no trace was kept for this episode</p>`}
${stepSections}
</body></html>`.value}\n`;
}
