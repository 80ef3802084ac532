import { alignDtw, type DtwAlignment } from './dtw-alignment';
import { assertEmbeddingSequence, rowDot, rowSquaredNorms, type EmbeddingSequence } from './embedding-sequence';

/** Reference-by-test dot products, row-major (`reference.length x test.length`). */
export function crossDotProducts(reference: EmbeddingSequence, test: EmbeddingSequence): Float64Array {
  const rows = reference.length;
  const cols = test.length;
  const dims = reference.dims;
  const a = reference.data;
  const b = test.data;
  const dots = new Float64Array(rows * cols);
  const pairedCols = cols & ~1;
  for (let i = 0; i < rows; i += 1) {
    const rowStart = i * dims;
    // Two test rows per pass: each reference value is loaded once for two multiply-adds.
    for (let j = 0; j < pairedCols; j += 2) {
      let first = j * dims;
      let second = first + dims;
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let k = rowStart, end = rowStart + dims - 1; k < end; k += 2) {
        const x0 = a[k]!;
        const x1 = a[k + 1]!;
        sum0 += x0 * b[first]!;
        sum1 += x1 * b[first + 1]!;
        sum2 += x0 * b[second]!;
        sum3 += x1 * b[second + 1]!;
        first += 2;
        second += 2;
      }
      if (dims & 1) {
        const x = a[rowStart + dims - 1]!;
        sum0 += x * b[first]!;
        sum2 += x * b[second]!;
      }
      dots[i * cols + j] = sum0 + sum1;
      dots[i * cols + j + 1] = sum2 + sum3;
    }
    if (pairedCols < cols) dots[i * cols + pairedCols] = rowDot(a, i, b, pairedCols, dims);
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
