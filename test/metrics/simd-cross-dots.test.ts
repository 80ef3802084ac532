import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWat, WAT_SOURCES } from '../../scripts/compile-wat';
import { crossDotProducts, scalarCrossDotProducts } from '../../src/metrics/cosine-dtw';
import { embeddingSequenceFromRows, type EmbeddingSequence } from '../../src/metrics/embedding-sequence';
import { simdCrossDotProducts, simdCrossDotsAvailable } from '../../src/metrics/simd/simd-cross-dots';

/** A sequence of `length` rows of `dims` seeded values in [-1, 1). */
function seededSequence(length: number, dims: number, seed: number): EmbeddingSequence {
  let state = seed;
  const next = () => ((state = (state * 48_271) % 2_147_483_647) / 2_147_483_647) * 2 - 1;
  return embeddingSequenceFromRows(Array.from({ length }, () => Array.from({ length: dims }, next)));
}

/** Dot products by the definition, one pair at a time in float64. */
function definitionDots(a: EmbeddingSequence, b: EmbeddingSequence): number[] {
  const dots: number[] = [];
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < b.length; j += 1) {
      let sum = 0;
      for (let k = 0; k < a.dims; k += 1) sum += a.data[i * a.dims + k]! * b.data[j * b.dims + k]!;
      dots.push(sum);
    }
  }
  return dots;
}

describe('the WebAssembly SIMD cross dot products', () => {
  it('runs here: Node has WebAssembly SIMD, so crossDotProducts uses it', () => {
    expect(simdCrossDotsAvailable).toBe(true);
  });

  it('matches the committed kernel to its .wat source', async () => {
    for (const source of WAT_SOURCES) {
      const committed = new Uint8Array(readFileSync(source.replace(/\.wat$/, '.wasm')));
      expect(Buffer.from(await compileWat(source)).equals(committed), `${source}: run npm run build:wasm`).toBe(true);
    }
  });

  it.each([
    ['even sizes', 30, 30, 768],
    ['odd rows and columns', 7, 5, 12],
    ['odd width', 4, 6, 9],
    ['a single step each', 1, 1, 3],
    ['one reference step, many test steps', 1, 9, 16],
  ])('agrees with the definition and the scalar loop for %s', (_name, rows, cols, dims) => {
    const reference = seededSequence(rows, dims, 11);
    const test = seededSequence(cols, dims, 29);
    const expected = definitionDots(reference, test);
    const simd = simdCrossDotProducts(reference, test);
    expect(simd).toHaveLength(rows * cols);
    const scalar = scalarCrossDotProducts(reference, test);
    for (let index = 0; index < expected.length; index += 1) {
      // Only the order of the float64 sums differs.
      expect(Math.abs(simd[index]! - expected[index]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected[index]!)) * dims);
      expect(Math.abs(scalar[index]! - expected[index]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected[index]!)) * dims);
    }
  });

  it('gives the same results after a larger pair grew its memory', () => {
    const small = [seededSequence(3, 8, 5), seededSequence(2, 8, 7)] as const;
    const before = Array.from(crossDotProducts(...small));
    crossDotProducts(seededSequence(200, 1_536, 3), seededSequence(180, 1_536, 9));
    expect(Array.from(crossDotProducts(...small))).toEqual(before);
  });
});
