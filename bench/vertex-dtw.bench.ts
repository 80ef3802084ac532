// VERTEX_DTW throughput: the single-thread TypeScript kernel against a NumPy implementation of the
// same computation on the same seeded inputs, and a 2-worker pool against a 1-worker pool.
// Run: npx tsx bench/vertex-dtw.bench.ts [--pairs N] [--repetitions N]
// Prints a table and writes bench/results/vertex-dtw.json. NumPy is installed into the project's
// .venv on first use. Both sides run single-threaded (BLAS threads pinned to 1) for the comparison,
// interleaved run by run. The JS/NumPy ratio uses CPU time (on an idle machine it equals wall time;
// on a shared one it is not inflated by other tenants); wall-time ratios are recorded too. The
// thread speedup can only be wall time, so the machine's load average is recorded with it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { z } from 'zod';
import { allocateEmbeddingSequence, type EmbeddingSequence } from '../src/metrics/embedding-sequence';
import type { VertexDtwJob, VertexDtwResult } from '../src/metrics/vertex-dtw';
import { scoreVertexDtwBatch } from '../src/metrics/vertex-dtw-batch';
import { VertexDtwWorkerPool } from '../src/metrics/vertex-dtw-worker-pool';
import { PROJECT_ROOT } from '../src/stack/toolchain';

const STEPS = 30;
const DIMS = 768;
const SEED = 20240611;
const TARGET_VS_NUMPY = 1.5;
const TARGET_THREAD_SPEEDUP = 1.8;
/** Scores must agree to this absolute difference (both sides accumulate in float64). */
const AGREEMENT_TOLERANCE = 1e-9;

const { values: flags } = parseArgs({
  options: { pairs: { type: 'string', default: '400' }, repetitions: { type: 'string', default: '5' } },
});
const PAIRS = Number(flags.pairs);
const REPETITIONS = Number(flags.repetitions);
if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error(`--pairs ${flags.pairs}: expected a positive integer`);
if (!Number.isInteger(REPETITIONS) || REPETITIONS < 1) throw new Error(`--repetitions ${flags.repetitions}: expected a positive integer`);

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Seeded trajectories shaped like sentence embeddings: unit-length rows; the test and baseline
 * steps are noisy copies of nearby reference steps so the kernel values are not all ~0. They live in
 * shared memory, as embeddingSequenceFromRows makes them for real callers.
 */
function makeJobs(count: number): VertexDtwJob[] {
  const generator = xoroshiro128plus(SEED);
  const gaussian = () => {
    const u = 1 - uniformFloat64(generator);
    const v = uniformFloat64(generator);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const unitRows = (steps: number, around: EmbeddingSequence | null, noise: number): EmbeddingSequence => {
    const sequence = allocateEmbeddingSequence(steps, DIMS);
    const { data } = sequence;
    for (let row = 0; row < steps; row += 1) {
      const source = around ? Math.min(around.length - 1, Math.max(0, row + Math.round(gaussian()))) : -1;
      let norm = 0;
      const values = new Float64Array(DIMS);
      for (let column = 0; column < DIMS; column += 1) {
        const base = around ? around.data[source * DIMS + column]! * Math.sqrt(DIMS) : 0;
        values[column] = base + noise * gaussian();
        norm += values[column]! * values[column]!;
      }
      const scale = 1 / Math.sqrt(norm);
      for (let column = 0; column < DIMS; column += 1) data[row * DIMS + column] = values[column]! * scale;
    }
    return sequence;
  };
  return Array.from({ length: count }, () => {
    const reference = unitRows(STEPS, null, 1);
    return {
      reference,
      test: unitRows(STEPS, reference, 0.8),
      baseline: unitRows(20 + Math.floor(uniformFloat64(generator) * 11), reference, 1.5),
    };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The project venv's python with NumPy, installing NumPy (and the venv) when missing. */
function numpyPython(): string {
  const venv = join(PROJECT_ROOT, '.venv');
  const python = join(venv, 'bin', 'python');
  const runOrThrow = (command: string, args: string[]) => {
    say(`$ ${command} ${args.join(' ')}`);
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`'${command} ${args.join(' ')}' failed (exit ${result.status ?? result.signal})`);
  };
  if (!existsSync(python)) runOrThrow('python3', ['-m', 'venv', venv]);
  if (spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) {
    runOrThrow(join(venv, 'bin', 'pip'), ['install', '--quiet', 'numpy']);
  }
  return python;
}

const numpyOutputSchema = z.strictObject({
  numpyVersion: z.string(),
  seconds: z.array(z.number()),
  cpuSeconds: z.array(z.number()),
  results: z.array(z.strictObject({ dtw: z.number(), pathLength: z.number().int(), vertexDtw: z.number() })),
});

/** Writes the jobs where the NumPy script reads them; returns the manifest path. */
async function writeNumpyInput(folder: string, jobs: readonly VertexDtwJob[]): Promise<string> {
  const dataFile = join(folder, 'embeddings.f32');
  const parts = jobs.flatMap((job) => [job.reference, job.test, ...(job.baseline ? [job.baseline] : [])]);
  await writeFile(dataFile, Buffer.concat(parts.map((part) => Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength))));
  const manifest = join(folder, 'manifest.json');
  const pairs = jobs.map((job) => ({
    referenceSteps: job.reference.length,
    testSteps: job.test.length,
    baselineSteps: job.baseline?.length ?? 0,
  }));
  await writeFile(manifest, JSON.stringify({ dims: DIMS, dataFile, pairs }));
  return manifest;
}

/** One NumPy process: a warm-up pass (discarded, like the JS warm-up) and one timed pass. */
function runNumpyOnce(python: string, manifest: string): z.infer<typeof numpyOutputSchema> {
  const single = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const result = spawnSync(python, [join(PROJECT_ROOT, 'bench', 'numpy', 'vertex_dtw.py'), manifest, '2'], {
    encoding: 'utf8',
    env: { ...process.env, ...single },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`bench/numpy/vertex_dtw.py failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
  const output = numpyOutputSchema.parse(JSON.parse(result.stdout));
  return { ...output, seconds: output.seconds.slice(1), cpuSeconds: output.cpuSeconds.slice(1) };
}

function cpuSecondsNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function agreement(js: readonly VertexDtwResult[], numpy: z.infer<typeof numpyOutputSchema>['results']) {
  let maxVertexDtwDifference = 0;
  let maxDtwDifference = 0;
  let pathLengthMismatches = 0;
  js.forEach((result, index) => {
    const other = numpy[index]!;
    maxVertexDtwDifference = Math.max(maxVertexDtwDifference, Math.abs(result.vertexDtw - other.vertexDtw));
    maxDtwDifference = Math.max(maxDtwDifference, Math.abs(result.dtw - other.dtw));
    if (result.path.length !== other.pathLength) pathLengthMismatches += 1;
  });
  const agrees =
    numpy.length === js.length &&
    maxVertexDtwDifference <= AGREEMENT_TOLERANCE &&
    maxDtwDifference <= AGREEMENT_TOLERANCE &&
    pathLengthMismatches === 0;
  return { agrees, tolerance: AGREEMENT_TOLERANCE, maxVertexDtwDifference, maxDtwDifference, pathLengthMismatches };
}

say(`generating ${PAIRS} seeded pairs of ${STEPS} steps x ${DIMS} dims (+ baselines of 20-30 steps)`);
const jobs = makeJobs(PAIRS);
const loadBefore = loadavg();

say('single thread: TypeScript and NumPy, interleaved...');
const python = numpyPython();
const folder = await mkdtemp(join(tmpdir(), 'ratchet-vertex-dtw-bench-'));
scoreVertexDtwBatch(jobs); // warm-up: let the JIT compile the kernel
const jsSeconds: number[] = [];
const jsCpuSeconds: number[] = [];
const numpySeconds: number[] = [];
const numpyCpuSeconds: number[] = [];
let jsResults: VertexDtwResult[] = [];
let numpy: z.infer<typeof numpyOutputSchema> | undefined;
try {
  const manifest = await writeNumpyInput(folder, jobs);
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const started = performance.now();
    const cpuStarted = cpuSecondsNow();
    jsResults = scoreVertexDtwBatch(jobs);
    jsCpuSeconds.push(cpuSecondsNow() - cpuStarted);
    jsSeconds.push((performance.now() - started) / 1000);
    numpy = runNumpyOnce(python, manifest);
    numpySeconds.push(...numpy.seconds);
    numpyCpuSeconds.push(...numpy.cpuSeconds);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
if (!numpy) throw new Error('NumPy produced no results');
const check = agreement(jsResults, numpy.results);

/** Copies of the jobs in ordinary (non-shared) memory: the pool packs and transfers these. */
function unsharedCopies(source: readonly VertexDtwJob[]): VertexDtwJob[] {
  const copy = (sequence: EmbeddingSequence): EmbeddingSequence => ({ ...sequence, data: Float32Array.from(sequence.data) });
  return source.map((job) => ({ reference: copy(job.reference), test: copy(job.test), baseline: job.baseline ? copy(job.baseline) : null }));
}

/** Wall seconds of 1-worker and 2-worker pools on the same jobs, interleaved run by run. */
async function timePools(poolJobs: readonly VertexDtwJob[]): Promise<{ one: number[]; two: number[] }> {
  const onePool = await VertexDtwWorkerPool.start({ size: 1 });
  const twoPool = await VertexDtwWorkerPool.start({ size: 2 });
  const one: number[] = [];
  const two: number[] = [];
  try {
    // Warm-up: each worker thread compiles the WebAssembly kernel lazily and tiers it up after use.
    for (let warmUp = 0; warmUp < 3; warmUp += 1) {
      await onePool.scoreBatch(poolJobs);
      await twoPool.scoreBatch(poolJobs);
    }
    // Interleaved so that other load on the machine hits both sides alike.
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      let started = performance.now();
      await onePool.scoreBatch(poolJobs);
      one.push((performance.now() - started) / 1000);
      started = performance.now();
      const pooled = await twoPool.scoreBatch(poolJobs);
      two.push((performance.now() - started) / 1000);
      if (pooled.some((result, index) => result.vertexDtw !== jsResults[index]!.vertexDtw)) {
        throw new Error('the 2-thread pool disagrees with the single-thread kernel');
      }
    }
  } finally {
    await Promise.all([onePool.close(), twoPool.close()]);
  }
  return { one, two };
}

say('worker pools: 1 vs 2 threads (shared-memory input, then copied input)...');
const sharedTimes = await timePools(jobs);
const copiedTimes = await timePools(unsharedCopies(jobs));
const oneSeconds = sharedTimes.one;
const twoSeconds = sharedTimes.two;

const js = median(jsCpuSeconds);
const np = median(numpyCpuSeconds);
const one = median(oneSeconds);
const two = median(twoSeconds);
const vertexDtwVsNumpy = js / np;
const vertexDtwVsNumpyWallTime = median(jsSeconds) / median(numpySeconds);
const vertexDtwThreadSpeedup = one / two;
// Supplementary: fastest run of each, the estimate least disturbed by other load on the machine.
const vertexDtwThreadSpeedupBestRuns = Math.min(...oneSeconds) / Math.min(...twoSeconds);
const vertexDtwThreadSpeedupCopiedInput = median(copiedTimes.one) / median(copiedTimes.two);
const perPairMs = (seconds: number) => ((seconds / PAIRS) * 1000).toFixed(3);

const rows = [
  ['TypeScript, 1 thread (CPU time)', js, perPairMs(js)],
  [`NumPy ${numpy.numpyVersion}, 1 thread (CPU time)`, np, perPairMs(np)],
  ['TypeScript, 1 thread (wall time)', median(jsSeconds), perPairMs(median(jsSeconds))],
  [`NumPy ${numpy.numpyVersion}, 1 thread (wall time)`, median(numpySeconds), perPairMs(median(numpySeconds))],
  ['worker pool, 1 thread (wall time)', one, perPairMs(one)],
  ['worker pool, 2 threads (wall time)', two, perPairMs(two)],
  ['pool, 1 thread, copied input (wall)', median(copiedTimes.one), perPairMs(median(copiedTimes.one))],
  ['pool, 2 threads, copied input (wall)', median(copiedTimes.two), perPairMs(median(copiedTimes.two))],
] as const;
console.log(`VERTEX_DTW, ${PAIRS} pairs of ${STEPS} x ${DIMS}, median of ${REPETITIONS} runs`);
console.log(`${'implementation'.padEnd(40)} ${'seconds'.padStart(9)} ${'ms/pair'.padStart(9)}`);
for (const [name, seconds, ms] of rows) console.log(`${name.padEnd(40)} ${seconds.toFixed(4).padStart(9)} ${ms.padStart(9)}`);
console.log(`JS / NumPy CPU time: ${vertexDtwVsNumpy.toFixed(3)} (target <= ${TARGET_VS_NUMPY}); wall time: ${vertexDtwVsNumpyWallTime.toFixed(3)}`);
console.log(
  `2-thread speedup: ${vertexDtwThreadSpeedup.toFixed(3)} (target >= ${TARGET_THREAD_SPEEDUP}); ` +
    `fastest runs: ${vertexDtwThreadSpeedupBestRuns.toFixed(3)}; with copied (non-shared) input: ${vertexDtwThreadSpeedupCopiedInput.toFixed(3)}`,
);
console.log(
  `agreement: max |dVERTEX_DTW| ${check.maxVertexDtwDifference.toExponential(2)}, max |dDTW| ${check.maxDtwDifference.toExponential(2)}, ` +
    `path-length mismatches ${check.pathLengthMismatches} -> ${check.agrees ? 'agree' : 'DISAGREE'}`,
);

const report = {
  benchmark: 'vertex-dtw',
  vertexDtwVsNumpy,
  vertexDtwThreadSpeedup,
  vertexDtwVsNumpyWallTime,
  vertexDtwThreadSpeedupCopiedInput,
  vertexDtwThreadSpeedupBestRuns,
  timing: 'vertexDtwVsNumpy is a CPU-time ratio of medians (both sides single-threaded); vertexDtwThreadSpeedup is a wall-time ratio of medians',
  targets: { vertexDtwVsNumpy: TARGET_VS_NUMPY, vertexDtwThreadSpeedup: TARGET_THREAD_SPEEDUP },
  met: {
    vertexDtwVsNumpy: vertexDtwVsNumpy <= TARGET_VS_NUMPY,
    vertexDtwThreadSpeedup: vertexDtwThreadSpeedup >= TARGET_THREAD_SPEEDUP,
    agreement: check.agrees,
  },
  agreement: check,
  workload: { pairs: PAIRS, steps: STEPS, dims: DIMS, baselineSteps: '20-30', seed: SEED, repetitions: REPETITIONS },
  seconds: {
    typescript: jsSeconds,
    numpy: numpySeconds,
    pool1: oneSeconds,
    pool2: twoSeconds,
    pool1CopiedInput: copiedTimes.one,
    pool2CopiedInput: copiedTimes.two,
  },
  cpuSeconds: { typescript: jsCpuSeconds, numpy: numpyCpuSeconds },
  medianSeconds: { typescriptCpu: js, numpyCpu: np, typescript: median(jsSeconds), numpy: median(numpySeconds), pool1: one, pool2: two },
  machine: {
    node: process.version,
    numpy: numpy.numpyVersion,
    cpu: cpus()[0]?.model ?? 'unknown',
    availableParallelism: availableParallelism(),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
  },
  measuredAt: new Date().toISOString(),
};
const resultsDir = join(PROJECT_ROOT, 'bench', 'results');
await mkdir(resultsDir, { recursive: true });
await writeFile(join(resultsDir, 'vertex-dtw.json'), `${JSON.stringify(report, null, 2)}\n`);
say(`wrote ${join(resultsDir, 'vertex-dtw.json')}`);
if (!check.agrees) process.exitCode = 1;
