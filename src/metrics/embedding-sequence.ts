/**
 * A trajectory's step embeddings, stored row-major in one Float32Array so that a whole sequence
 * can be handed to a worker thread as a single transferable buffer.
 */
export interface EmbeddingSequence {
  /** Number of steps (rows). */
  readonly length: number;
  /** Embedding width (columns). */
  readonly dims: number;
  /** `length * dims` values; row i starts at `i * dims`. */
  readonly data: Float32Array;
}

/**
 * A zeroed sequence whose memory is a SharedArrayBuffer: VertexDtwWorkerPool hands such sequences
 * to its worker threads without copying them.
 */
export function allocateEmbeddingSequence(length: number, dims: number): EmbeddingSequence {
  const data = new Float32Array(new SharedArrayBuffer(length * dims * Float32Array.BYTES_PER_ELEMENT));
  return { length, dims, data };
}

/** Whether the pool can share this sequence's memory with a worker instead of copying it. */
export function isSharedEmbeddingSequence(sequence: EmbeddingSequence): boolean {
  return sequence.data.buffer instanceof SharedArrayBuffer;
}

/** Packs rows of numbers into a (shared-memory) EmbeddingSequence; `label` names the input in errors. */
export function embeddingSequenceFromRows(rows: ReadonlyArray<ArrayLike<number>>, label = 'sequence'): EmbeddingSequence {
  const first = rows[0];
  if (first === undefined) throw new RangeError(`embeddingSequenceFromRows: ${label} has no steps`);
  const dims = first.length;
  if (dims === 0) throw new RangeError(`embeddingSequenceFromRows: ${label}[0] is empty`);
  const sequence = allocateEmbeddingSequence(rows.length, dims);
  const { data } = sequence;
  rows.forEach((row, index) => {
    if (row.length !== dims) {
      throw new RangeError(`embeddingSequenceFromRows: ${label}[${index}] has ${row.length} values, expected ${dims}`);
    }
    data.set(row, index * dims);
  });
  return sequence;
}

/** Checks that `sequence.data` holds exactly `length * dims` values; `label` names it in the error. */
export function assertEmbeddingSequence(sequence: EmbeddingSequence, label: string): void {
  if (!Number.isInteger(sequence.length) || sequence.length < 1) {
    throw new RangeError(`${label}: a sequence needs at least one step (length ${sequence.length})`);
  }
  if (!Number.isInteger(sequence.dims) || sequence.dims < 1) {
    throw new RangeError(`${label}: dims must be a positive integer (got ${sequence.dims})`);
  }
  if (sequence.data.length !== sequence.length * sequence.dims) {
    throw new RangeError(
      `${label}: data holds ${sequence.data.length} values, expected length * dims = ${sequence.length * sequence.dims}`,
    );
  }
}

/** Dot product of row `rowA` of `a` and row `rowB` of `b` (same width), accumulated in float64. */
export function rowDot(a: Float32Array, rowA: number, b: Float32Array, rowB: number, dims: number): number {
  let offsetA = rowA * dims;
  let offsetB = rowB * dims;
  const end = offsetA + dims;
  const unrolledEnd = offsetA + (dims & ~3);
  // Four independent accumulators let the CPU overlap the multiply-adds.
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  while (offsetA < unrolledEnd) {
    sum0 += a[offsetA]! * b[offsetB]!;
    sum1 += a[offsetA + 1]! * b[offsetB + 1]!;
    sum2 += a[offsetA + 2]! * b[offsetB + 2]!;
    sum3 += a[offsetA + 3]! * b[offsetB + 3]!;
    offsetA += 4;
    offsetB += 4;
  }
  while (offsetA < end) {
    sum0 += a[offsetA]! * b[offsetB]!;
    offsetA += 1;
    offsetB += 1;
  }
  return sum0 + sum1 + (sum2 + sum3);
}

/** Squared Euclidean norm of every row. */
export function rowSquaredNorms(sequence: EmbeddingSequence): Float64Array {
  const norms = new Float64Array(sequence.length);
  for (let row = 0; row < sequence.length; row += 1) {
    norms[row] = rowDot(sequence.data, row, sequence.data, row, sequence.dims);
  }
  return norms;
}
