// `npm run bench`: every benchmark, one at a time (the machine is shared), each in its own child
// process so its memory figures are its own. Prints one table of figures with their targets and
// writes bench/results/latest.json with the machine's description. Benchmarks assert nothing.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, freemem, hostname, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../src/stack/toolchain';

const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

const say = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Benchmark {
  name: string;
  file: string;
  args: string[];
  timeoutMs: number;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'vertex-dtw', file: 'vertex-dtw.bench.ts', args: ['--pairs', '400', '--repetitions', '5'], timeoutMs: 120_000 },
  { name: 'model-server', file: 'model-server.bench.ts', args: [], timeoutMs: 120_000 },
  { name: 'rollout', file: 'rollout.bench.ts', args: ['--tasks', '12', '--max-steps', '10'], timeoutMs: 240_000 },
  { name: 'orchestration', file: 'orchestration.bench.ts', args: ['--tasks', '12'], timeoutMs: 300_000 },
  { name: 'first-episode', file: 'first-episode.bench.ts', args: [], timeoutMs: 300_000 },
];

/** Runs one benchmark file; its stdout (its own table) goes to our stderr so stdout holds only the summary. */
function runBenchmark(benchmark: Benchmark): Promise<{ seconds: number; error: string | null }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(PROJECT_ROOT, 'bench', benchmark.file), ...benchmark.args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(process.stderr);
    const timer = setTimeout(() => child.kill('SIGTERM'), benchmark.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = round((performance.now() - started) / 1000, 1);
      const error = code === 0 ? null : signal ? `killed by ${signal} after ${seconds} s (limit ${benchmark.timeoutMs / 1000} s)` : `exited with code ${code}`;
      resolve({ seconds, error });
    });
  });
}

/** A benchmark's JSON result, or null when it did not write one during this run. */
function readResult(name: string, notBefore: number): Record<string, unknown> | null {
  const file = join(RESULTS_DIR, `${name}.json`);
  try {
    // A result file left over from an earlier run must not pass for this one.
    if (statSync(file).mtimeMs < notBefore) return null;
    return z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** The number at a dotted path of a result, or null. */
function numberAt(result: Record<string, unknown> | null, path: string): number | null {
  let value: unknown = result;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

interface Figure {
  figure: string;
  value: number | null;
  unit: string;
  target: string;
  met: boolean | null;
  note: string;
}

/** A figure with an upper or lower bound as its target (null value: not measured, target not met). */
function bounded(figure: string, value: number | null, unit: string, bound: { atMost?: number; atLeast?: number }, note = ''): Figure {
  const target = bound.atMost !== undefined ? `<= ${bound.atMost}` : `>= ${bound.atLeast}`;
  const met = value === null ? false : bound.atMost !== undefined ? value <= bound.atMost : value >= (bound.atLeast ?? -Infinity);
  return { figure, value: value === null ? null : round(value), unit, target, met, note: value === null ? `not measured${note ? `; ${note}` : ''}` : note };
}

function informational(figure: string, value: number | null, unit: string, note = ''): Figure {
  return { figure, value: value === null ? null : round(value), unit, target: '-', met: null, note: value === null ? `not measured${note ? `; ${note}` : ''}` : note };
}

const machine = {
  os: `${type()} ${release()} ${arch()}`,
  hostname: hostname(),
  cpus: { count: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  memoryGiB: { total: round(totalmem() / 2 ** 30), freeAtStart: round(freemem() / 2 ** 30) },
  node: process.version,
  loadAverageAtStart: loadavg().map((value) => round(value)),
};
const benchStarted = Date.now();
const wallStarted = performance.now();
say(`bench: ${machine.cpus.count} x ${machine.cpus.model}, load average ${machine.loadAverageAtStart.join(' ')}`);

// A second `npm test` first runs scripts/setup.mjs on a tree that is already set up.
say('bench: set-up on an already set-up tree (node scripts/setup.mjs)');
const setupStarted = performance.now();
const setup = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'setup.mjs')], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
const setupSeconds = setup.status === 0 ? (performance.now() - setupStarted) / 1000 : null;

const runs: Record<string, { seconds: number; error: string | null }> = {};
const results: Record<string, Record<string, unknown> | null> = {};
for (const benchmark of BENCHMARKS) {
  say(`bench: ${benchmark.name} (${benchmark.file} ${benchmark.args.join(' ')})`);
  const notBefore = Date.now() - 1000;
  runs[benchmark.name] = await runBenchmark(benchmark);
  results[benchmark.name] = readResult(benchmark.name, notBefore);
  if (runs[benchmark.name]!.error) say(`bench: ${benchmark.name} ${runs[benchmark.name]!.error}`);
}
const totalSeconds = (performance.now() - wallStarted) / 1000;

const rollout = results.rollout ?? null;
const orchestration = results.orchestration ?? null;
const vertexDtw = results['vertex-dtw'] ?? null;
const modelServer = results['model-server'] ?? null;
const firstEpisode = results['first-episode'] ?? null;
const whyMissing = (name: string) => runs[name]?.error ?? (results[name] ? '' : 'no result file');
const firstEpisodeFailure = typeof firstEpisode?.failure === 'string' ? firstEpisode.failure : whyMissing('first-episode');
const stepSplit = ['modelMs', 'actionMs', 'observationMs', 'storageMs'].map((key) => `${key.replace('Ms', '')} ${numberAt(rollout, `meanStepMs.${key}`) ?? '?'}`).join(', ');

const figures: Figure[] = [
  bounded('orchestrationOverhead', numberAt(orchestration, 'orchestrationOverhead'), 'ratio', { atMost: 1.1 },
    orchestration ? `evaluation workflow ${numberAt(orchestration, 'evaluationWorkflowSeconds')} s (its rollout child ${numberAt(orchestration, 'rolloutWorkflowSeconds')} s, ratio ${numberAt(orchestration, 'rolloutOnlyOverhead')}; prepare + metrics ${numberAt(orchestration, 'prepareAndMetricsSeconds')} s) vs plain loop ${numberAt(orchestration, 'plainLoopSeconds')} s over the same ${(orchestration.tasks as unknown[]).length} episodes; whole 1-round run ${numberAt(orchestration, 'wholeRunSeconds')} s` : whyMissing('orchestration')),
  bounded('rolloutSpeedupAt2', numberAt(rollout, 'rolloutSpeedupAt2'), 'ratio', { atLeast: 1.6 }, rollout
    ? `mean step ms: ${stepSplit}; at 1 context ${numberAt(rollout, 'settings.0.coresBusy')} of ${numberAt(rollout, 'cores')} cores busy (Chromium ${Math.round((numberAt(rollout, 'chromiumShareOfCpuAt1') ?? 0) * 100)}% of the CPU, ${numberAt(rollout, 'cpuSecondsPerEpisodeAt1')} CPU s per episode), so no concurrency can exceed ${numberAt(rollout, 'cpuBoundSpeedupCeiling')}`
    : whyMissing('rollout')),
  informational('rolloutCpuBoundSpeedupCeiling', numberAt(rollout, 'cpuBoundSpeedupCeiling'), 'ratio', 'cores / cores busy at 1 context'),
  informational('rolloutSpeedupAt4', numberAt(rollout, 'rolloutSpeedupAt4'), 'ratio', whyMissing('rollout')),
  informational('episodesPerMinuteAt1', numberAt(rollout, 'episodesPerMinute.1'), 'episodes/min', whyMissing('rollout')),
  informational('episodesPerMinuteAt2', numberAt(rollout, 'episodesPerMinute.2'), 'episodes/min', whyMissing('rollout')),
  informational('episodesPerMinuteAt4', numberAt(rollout, 'episodesPerMinute.4'), 'episodes/min', whyMissing('rollout')),
  informational('stepModelMs', numberAt(rollout, 'meanStepMs.modelMs'), 'ms/step', whyMissing('rollout')),
  informational('stepActionMs', numberAt(rollout, 'meanStepMs.actionMs'), 'ms/step', whyMissing('rollout')),
  informational('stepObservationMs', numberAt(rollout, 'meanStepMs.observationMs'), 'ms/step', whyMissing('rollout')),
  informational('stepStorageMs', numberAt(rollout, 'meanStepMs.storageMs'), 'ms/step', whyMissing('rollout')),
  informational('rolloutProcessPeakRssMiB', numberAt(rollout, 'processPeakRssMiB'), 'MiB', 'browser worker + sites + model server in one process'),
  informational('rolloutChromiumPeakPssMiB', numberAt(rollout, 'chromiumPeakRssMiB'), 'MiB', 'sum over Chromium processes, proportional set size'),
  bounded('vertexDtwVsNumpy', numberAt(vertexDtw, 'vertexDtwVsNumpy'), 'ratio', { atMost: 1.5 }, vertexDtw ? 'CPU-time ratio of medians, both single-threaded' : whyMissing('vertex-dtw')),
  bounded('vertexDtwThreadSpeedup', numberAt(vertexDtw, 'vertexDtwThreadSpeedup'), 'ratio', { atLeast: 1.8 }, vertexDtw ? 'wall time, 2 workers over 1; sensitive to machine load' : whyMissing('vertex-dtw')),
  informational('modelServerCompletionsPerSecond', numberAt(modelServer, 'chatCompletionsPerSecond'), '/s', whyMissing('model-server')),
  informational('modelServerFineTuneSeconds', numberAt(modelServer, 'fineTuneSeconds'), 's', modelServer ? '1,000 examples, 3 epochs' : whyMissing('model-server')),
  bounded('setupSecondsOnSetUpTree', setupSeconds, 's', { atMost: 1 }, setupSeconds === null ? `scripts/setup.mjs exited with ${setup.status ?? setup.signal}` : 'scripts/setup.mjs promises "well under a second"'),
  informational('startToFirstEpisodeSeconds', numberAt(firstEpisode, 'startToFirstEpisodeSeconds'), 's', firstEpisodeFailure || 'node bin/ratchet.mjs start; add the set-up time for npm start'),
  bounded('benchTotalSeconds', totalSeconds, 's', { atMost: 600 }),
];

const latest = {
  finishedAt: new Date().toISOString(),
  startedAt: new Date(benchStarted).toISOString(),
  machine,
  loadAverageAtEnd: loadavg().map((value) => round(value)),
  figures: Object.fromEntries(figures.map((figure) => [figure.figure, figure.value])),
  targets: Object.fromEntries(figures.filter((figure) => figure.met !== null).map((figure) => [figure.figure, { target: figure.target, met: figure.met }])),
  table: figures,
  benchmarks: runs,
  results,
};
console.table(figures.map(({ figure, value, unit, target, met, note }) => ({ figure, value: value ?? 'n/a', unit, target, met: met === null ? '' : met ? 'yes' : 'NO', note })));
await mkdir(RESULTS_DIR, { recursive: true });
await writeFile(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
say(`bench: wrote ${join(RESULTS_DIR, 'latest.json')} in ${totalSeconds.toFixed(0)} s`);
