import type { WarpingPath } from './dtw-alignment';
import type { EmbeddingSequence } from './embedding-sequence';
import { assertVertexDtwJob, computeVertexDtw, type VertexDtwJob, type VertexDtwResult } from './vertex-dtw';

/**
 * A chunk of VERTEX_DTW jobs packed into two buffers, so that posting it to a worker thread
 * transfers memory instead of cloning thousands of small arrays.
 */
export interface PackedVertexDtwBatch {
  /** Index of the chunk's first job in the caller's batch (for error messages). */
  firstJobIndex: number;
  /** Per job: dims, reference steps, test steps, baseline steps (0 = no baseline). */
  shapes: Int32Array<ArrayBuffer>;
  /** All jobs' reference, test and baseline rows, in that order, job after job. */
  data: Float32Array<ArrayBuffer>;
}

/** A chunk whose sequences all live in SharedArrayBuffers: posted as is, nothing is copied. */
export interface SharedVertexDtwBatch {
  firstJobIndex: number;
  jobs: VertexDtwJob[];
}

/** A packed chunk's results: one dtw and score per job, paths concatenated as (i, j) pairs. */
export interface PackedVertexDtwResults {
  dtw: Float64Array<ArrayBuffer>;
  vertexDtw: Float64Array<ArrayBuffer>;
  /** pathOffsets[k] .. pathOffsets[k + 1] are job k's pairs in `path` (in pairs, not values). */
  pathOffsets: Int32Array<ArrayBuffer>;
  path: Int32Array<ArrayBuffer>;
}

const SHAPE_FIELDS = 4;

/** Scores a batch on the calling thread. */
export function scoreVertexDtwBatch(jobs: readonly VertexDtwJob[]): VertexDtwResult[] {
  return jobs.map((job, index) => {
    try {
      return computeVertexDtw(job);
    } catch (error) {
      throw new Error(`VERTEX_DTW job ${index}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  });
}

/**
 * Validates and packs jobs into one chunk; the caller's arrays are copied, not detached.
 * `allocate` lets a pool hand back a recycled buffer (fresh memory costs page faults).
 */
export function packVertexDtwBatch(
  jobs: readonly VertexDtwJob[],
  firstJobIndex: number,
  allocate: (floats: number) => Float32Array<ArrayBuffer> = (floats) => new Float32Array(floats),
): PackedVertexDtwBatch {
  const shapes = new Int32Array(jobs.length * SHAPE_FIELDS);
  let values = 0;
  jobs.forEach((job, offset) => {
    assertVertexDtwJob(job, `VERTEX_DTW job ${firstJobIndex + offset}`);
    const baselineSteps = job.baseline ? job.baseline.length : 0;
    shapes.set([job.reference.dims, job.reference.length, job.test.length, baselineSteps], offset * SHAPE_FIELDS);
    values += (job.reference.length + job.test.length + baselineSteps) * job.reference.dims;
  });
  const data = allocate(values);
  let cursor = 0;
  for (const job of jobs) {
    for (const sequence of [job.reference, job.test, job.baseline]) {
      if (!sequence) continue;
      data.set(sequence.data, cursor);
      cursor += sequence.data.length;
    }
  }
  return { firstJobIndex, shapes, data };
}

/** Rebuilds the jobs of a packed chunk as views on its buffer (no copy). */
export function unpackVertexDtwBatch(batch: PackedVertexDtwBatch): VertexDtwJob[] {
  const jobs: VertexDtwJob[] = [];
  let cursor = 0;
  const take = (steps: number, dims: number): EmbeddingSequence => {
    const sequence = { length: steps, dims, data: batch.data.subarray(cursor, cursor + steps * dims) };
    cursor += steps * dims;
    return sequence;
  };
  for (let offset = 0; offset < batch.shapes.length; offset += SHAPE_FIELDS) {
    const dims = batch.shapes[offset]!;
    const reference = take(batch.shapes[offset + 1]!, dims);
    const test = take(batch.shapes[offset + 2]!, dims);
    const baselineSteps = batch.shapes[offset + 3]!;
    jobs.push({ reference, test, baseline: baselineSteps > 0 ? take(baselineSteps, dims) : null });
  }
  if (cursor !== batch.data.length) {
    throw new RangeError(`unpackVertexDtwBatch: shapes cover ${cursor} values but data holds ${batch.data.length}`);
  }
  return jobs;
}

/** Scores a packed or shared chunk and packs the results (what a worker thread runs). */
export function scorePackedVertexDtwBatch(batch: PackedVertexDtwBatch | SharedVertexDtwBatch): PackedVertexDtwResults {
  const jobs = 'jobs' in batch ? batch.jobs : unpackVertexDtwBatch(batch);
  const dtw = new Float64Array(jobs.length);
  const vertexDtw = new Float64Array(jobs.length);
  const pathOffsets = new Int32Array(jobs.length + 1);
  const paths: WarpingPath[] = [];
  jobs.forEach((job, index) => {
    let result: VertexDtwResult;
    try {
      result = computeVertexDtw(job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`VERTEX_DTW job ${batch.firstJobIndex + index}: ${message}`, { cause: error });
    }
    dtw[index] = result.dtw;
    vertexDtw[index] = result.vertexDtw;
    pathOffsets[index + 1] = pathOffsets[index]! + result.path.length;
    paths.push(result.path);
  });
  const path = new Int32Array(pathOffsets[jobs.length]! * 2);
  let cursor = 0;
  for (const jobPath of paths) {
    for (const [i, j] of jobPath) {
      path[cursor] = i;
      path[cursor + 1] = j;
      cursor += 2;
    }
  }
  return { dtw, vertexDtw, pathOffsets, path };
}

/** Turns packed results back into one VertexDtwResult per job. */
export function unpackVertexDtwResults(results: PackedVertexDtwResults): VertexDtwResult[] {
  const unpacked: VertexDtwResult[] = [];
  for (let index = 0; index < results.dtw.length; index += 1) {
    const path: WarpingPath = [];
    for (let pair = results.pathOffsets[index]!; pair < results.pathOffsets[index + 1]!; pair += 1) {
      path.push([results.path[pair * 2]!, results.path[pair * 2 + 1]!]);
    }
    unpacked.push({ dtw: results.dtw[index]!, path, vertexDtw: results.vertexDtw[index]! });
  }
  return unpacked;
}
