import { readFileSync } from 'node:fs';
import type { EmbeddingSequence } from '../embedding-sequence';

/** What cross-dots.wasm exports (see cross-dots.wat). */
interface CrossDotsKernel {
  memory: WebAssembly.Memory;
  crossDots(a: number, rows: number, b: number, cols: number, dims: number, out: number): void;
  widen(src: number, count: number, dst: number): void;
}

const WASM_PAGE_BYTES = 65_536;
const FLOAT64_BYTES = 8;

/** The kernel, compiled once per thread; undefined where the runtime has no WebAssembly SIMD. */
function loadKernel(): CrossDotsKernel | undefined {
  try {
    const module = new WebAssembly.Module(readFileSync(new URL('./cross-dots.wasm', import.meta.url)));
    return new WebAssembly.Instance(module).exports as unknown as CrossDotsKernel;
  } catch {
    return undefined;
  }
}

const kernel = loadKernel();

/** Whether simdCrossDotProducts can run here (Node 16.4+ has WebAssembly SIMD). */
export const simdCrossDotsAvailable = kernel !== undefined;

/** The kernel's memory, grown to hold at least `bytes`. */
function memoryOf(loaded: CrossDotsKernel, bytes: number): ArrayBuffer {
  const missing = bytes - loaded.memory.buffer.byteLength;
  if (missing > 0) loaded.memory.grow(Math.ceil(missing / WASM_PAGE_BYTES));
  return loaded.memory.buffer;
}

/**
 * Places a sequence in the kernel's memory at float64 index `start`, widened to float64 and padded
 * with zeros to `paddedLength` rows of `paddedDims` values. Even widths (every real embedding) are
 * copied as float32 to `stagingByte` and widened by the kernel; odd ones row by row here.
 */
function placeSequence(loaded: CrossDotsKernel, memory: ArrayBuffer, sequence: EmbeddingSequence, start: number, paddedLength: number, paddedDims: number, stagingByte: number): void {
  const { length, dims, data } = sequence;
  const wide = new Float64Array(memory);
  if (paddedDims === dims) {
    new Float32Array(memory, stagingByte, length * dims).set(data.subarray(0, length * dims));
    loaded.widen(stagingByte, length * dims, start * FLOAT64_BYTES);
  } else {
    for (let row = 0; row < length; row += 1) {
      wide.set(data.subarray(row * dims, (row + 1) * dims), start + row * paddedDims);
      wide[start + row * paddedDims + dims] = 0;
    }
  }
  wide.fill(0, start + length * paddedDims, start + paddedLength * paddedDims);
}

/**
 * Reference-by-test dot products, row-major, computed in float64 by the WebAssembly SIMD kernel. The
 * sums run in another order than a scalar loop's, so results can differ from it in the last bits.
 */
export function simdCrossDotProducts(reference: EmbeddingSequence, test: EmbeddingSequence): Float64Array {
  if (!kernel) throw new Error('simdCrossDotProducts: this runtime has no WebAssembly SIMD');
  const rows = reference.length;
  const cols = test.length;
  const dims = reference.dims;
  // The kernel works on pairs of rows and of values: odd sizes get a zero row or column.
  const paddedRows = rows + (rows & 1);
  const paddedCols = cols + (cols & 1);
  const paddedDims = dims + (dims & 1);
  const referenceStart = 0;
  const testStart = paddedRows * paddedDims;
  const outStart = testStart + paddedCols * paddedDims;
  const stagingByte = (outStart + paddedRows * paddedCols) * FLOAT64_BYTES;
  const stagingBytes = Math.max(rows, cols) * dims * Float32Array.BYTES_PER_ELEMENT;
  const memory = memoryOf(kernel, stagingByte + stagingBytes);
  placeSequence(kernel, memory, reference, referenceStart, paddedRows, paddedDims, stagingByte);
  placeSequence(kernel, memory, test, testStart, paddedCols, paddedDims, stagingByte);
  kernel.crossDots(referenceStart * FLOAT64_BYTES, paddedRows, testStart * FLOAT64_BYTES, paddedCols, paddedDims, outStart * FLOAT64_BYTES);
  const wide = new Float64Array(memory);
  if (paddedCols === cols) return wide.slice(outStart, outStart + rows * cols);
  const dots = new Float64Array(rows * cols);
  for (let row = 0; row < rows; row += 1) dots.set(wide.subarray(outStart + row * paddedCols, outStart + row * paddedCols + cols), row * cols);
  return dots;
}
