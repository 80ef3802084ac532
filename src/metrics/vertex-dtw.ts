import { alignDtw, type WarpingPath } from './dtw-alignment';
import { assertNonZeroRows, cosineDistancesFromDots, crossDotProducts } from './cosine-dtw';
import { assertEmbeddingSequence, rowDot, rowSquaredNorms, type EmbeddingSequence } from './embedding-sequence';

/** One reference/test pair to score, with the optional baseline trajectory (e.g. the base model's). */
export interface VertexDtwJob {
  reference: EmbeddingSequence;
  test: EmbeddingSequence;
  baseline?: EmbeddingSequence | null;
}

/** DTW alignment under cosine distance plus the VERTEX_DTW score along its path. */
export interface VertexDtwResult {
  /** Cumulative cosine distance along the warping path. */
  dtw: number;
  path: WarpingPath;
  vertexDtw: number;
}

/** Checks that a job's sequences are well formed and share one width; `label` names the job in errors. */
export function assertVertexDtwJob(job: VertexDtwJob, label = 'vertex-dtw job'): void {
  assertEmbeddingSequence(job.reference, `${label} reference`);
  assertEmbeddingSequence(job.test, `${label} test`);
  if (job.test.dims !== job.reference.dims) {
    throw new RangeError(`${label}: test has ${job.test.dims} dims but reference has ${job.reference.dims}`);
  }
  if (job.baseline) {
    assertEmbeddingSequence(job.baseline, `${label} baseline`);
    if (job.baseline.dims !== job.reference.dims) {
      throw new RangeError(`${label}: baseline has ${job.baseline.dims} dims but reference has ${job.reference.dims}`);
    }
  }
}

/**
 * VERTEX_DTW (METHOD.md step 7): align reference and test with exact cosine DTW, then for each path
 * pair (i, j) take s = clip(exp(-||r_i - t_j||^2), 0, 1), subtract exp(-||r_i - b_i||^2) when the
 * baseline has a step i (no clip after), divide by 1 + |i - j|, and average over the path.
 */
export function computeVertexDtw(job: VertexDtwJob): VertexDtwResult {
  assertVertexDtwJob(job);
  const { reference, test } = job;
  const baseline = job.baseline ?? null;
  const referenceNorms = rowSquaredNorms(reference);
  const testNorms = rowSquaredNorms(test);
  assertNonZeroRows(referenceNorms, 'reference');
  assertNonZeroRows(testNorms, 'test');
  // One pass of dot products serves both the cosine costs and the Gaussian kernel:
  // ||a - b||^2 = |a|^2 + |b|^2 - 2 a.b.
  const dots = crossDotProducts(reference, test);
  const cols = test.length;
  const alignment = alignDtw(cosineDistancesFromDots(dots, referenceNorms, testNorms), reference.length, cols);
  const baselineKernel = baseline ? baselineKernelByStep(reference, referenceNorms, baseline) : null;
  let sum = 0;
  for (const [i, j] of alignment.path) {
    const squaredDistance = referenceNorms[i]! + testNorms[j]! - 2 * dots[i * cols + j]!;
    let similarity = clipUnit(gaussianKernel(squaredDistance));
    if (baselineKernel && i < baselineKernel.length) similarity -= baselineKernel[i]!;
    sum += similarity / (1 + Math.abs(i - j));
  }
  return { dtw: alignment.distance, path: alignment.path, vertexDtw: sum / alignment.path.length };
}

/** k(r_i, b_i) for every step i that both the reference and the baseline have. */
function baselineKernelByStep(
  reference: EmbeddingSequence,
  referenceNorms: Float64Array,
  baseline: EmbeddingSequence,
): Float64Array {
  const steps = Math.min(reference.length, baseline.length);
  const kernel = new Float64Array(steps);
  for (let i = 0; i < steps; i += 1) {
    const baselineNorm = rowDot(baseline.data, i, baseline.data, i, baseline.dims);
    const dot = rowDot(reference.data, i, baseline.data, i, reference.dims);
    kernel[i] = gaussianKernel(referenceNorms[i]! + baselineNorm - 2 * dot);
  }
  return kernel;
}

/** k(a, b) = exp(-||a - b||^2); rounding can make the expanded square slightly negative. */
function gaussianKernel(squaredDistance: number): number {
  return Math.exp(-Math.max(0, squaredDistance));
}

function clipUnit(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}
