import { alignDtw, type DtwAlignment } from './dtw-alignment';
import { assertEmbeddingSequence, rowDot, rowSquaredNorms, type EmbeddingSequence } from './embedding-sequence';
import { simdCrossDotProducts, simdCrossDotsAvailable } from './simd/simd-cross-dots';

/**
 * Reference-by-test dot products, row-major (`reference.length x test.length`): by the WebAssembly
 * SIMD kernel where the runtime has it (about 3x faster), else by the scalar loop below.
 */
export function crossDotProducts(reference: EmbeddingSequence, test: EmbeddingSequence): Float64Array {
  return simdCrossDotsAvailable ? simdCrossDotProducts(reference, test) : scalarCrossDotProducts(reference, test);
}

/** Reference-by-test dot products in plain TypeScript, row-major. */
export function scalarCrossDotProducts(reference: EmbeddingSequence, test: EmbeddingSequence): Float64Array {
  const rows = reference.length;
  const cols = test.length;
  const dims = reference.dims;
  const a = reference.data;
  const b = test.data;
  const dots = new Float64Array(rows * cols);
  const blockedRows = rows & ~1;
  const blockedCols = cols & ~3;
  // Register blocking: 2 reference rows x 4 test rows per pass, so each loaded value feeds
  // several multiply-adds and eight independent sums keep the CPU's pipelines busy.
  for (let i = 0; i < blockedRows; i += 2) {
    const r0 = i * dims;
    const r1 = r0 + dims;
    const out0 = i * cols;
    const out1 = out0 + cols;
    for (let j = 0; j < blockedCols; j += 4) {
      const c0 = j * dims;
      const c1 = c0 + dims;
      const c2 = c1 + dims;
      const c3 = c2 + dims;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let k = 0; k < dims; k += 1) {
        const x0 = a[r0 + k]!;
        const x1 = a[r1 + k]!;
        const y0 = b[c0 + k]!;
        const y1 = b[c1 + k]!;
        const y2 = b[c2 + k]!;
        const y3 = b[c3 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      dots[out0 + j] = s00;
      dots[out0 + j + 1] = s01;
      dots[out0 + j + 2] = s02;
      dots[out0 + j + 3] = s03;
      dots[out1 + j] = s10;
      dots[out1 + j + 1] = s11;
      dots[out1 + j + 2] = s12;
      dots[out1 + j + 3] = s13;
    }
    for (let j = blockedCols; j < cols; j += 1) {
      dots[out0 + j] = rowDot(a, i, b, j, dims);
      dots[out1 + j] = rowDot(a, i + 1, b, j, dims);
    }
  }
  for (let i = blockedRows; i < rows; i += 1) {
    for (let j = 0; j < cols; j += 1) dots[i * cols + j] = rowDot(a, i, b, j, dims);
  }
  return dots;
}

/** Cosine distances 1 - a.b / (|a| |b|) from precomputed dot products and squared norms. */
export function cosineDistancesFromDots(
  dots: Float64Array,
  referenceSquaredNorms: Float64Array,
  testSquaredNorms: Float64Array,
): Float64Array {
  const rows = referenceSquaredNorms.length;
  const cols = testSquaredNorms.length;
  const testNorms = new Float64Array(cols);
  for (let j = 0; j < cols; j += 1) testNorms[j] = Math.sqrt(testSquaredNorms[j]!);
  const distances = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i += 1) {
    const referenceNorm = Math.sqrt(referenceSquaredNorms[i]!);
    for (let j = 0; j < cols; j += 1) {
      distances[i * cols + j] = 1 - dots[i * cols + j]! / (referenceNorm * testNorms[j]!);
    }
  }
  return distances;
}

/** Throws when a row has zero norm: cosine distance is undefined for it. */
export function assertNonZeroRows(squaredNorms: Float64Array, label: string): void {
  for (let row = 0; row < squaredNorms.length; row += 1) {
    if (!(squaredNorms[row]! > 0)) {
      throw new RangeError(`${label}[${row}] has zero (or non-finite) norm: cosine distance is undefined`);
    }
  }
}

/** Exact DTW of two embedding sequences (lengths may differ) under cosine distance. */
export function alignCosineDtw(reference: EmbeddingSequence, test: EmbeddingSequence): DtwAlignment {
  assertEmbeddingSequence(reference, 'alignCosineDtw reference');
  assertEmbeddingSequence(test, 'alignCosineDtw test');
  if (reference.dims !== test.dims) {
    throw new RangeError(`alignCosineDtw: reference has ${reference.dims} dims but test has ${test.dims}`);
  }
  const referenceNorms = rowSquaredNorms(reference);
  const testNorms = rowSquaredNorms(test);
  assertNonZeroRows(referenceNorms, 'reference');
  assertNonZeroRows(testNorms, 'test');
  const distances = cosineDistancesFromDots(crossDotProducts(reference, test), referenceNorms, testNorms);
  return alignDtw(distances, reference.length, test.length);
}
