import { describe, expect, it } from 'vitest';
import { embeddingSequenceFromRows } from '../../src/metrics/embedding-sequence';
import { computeVertexDtw } from '../../src/metrics/vertex-dtw';

const rows = (values: number[][]) => embeddingSequenceFromRows(values);
const reference = rows([[1, 0], [0, 1]]);
const test = rows([[1, 0], [1, 0], [0, 1]]);

describe('computeVertexDtw', () => {
  it('averages kernel similarities divided by 1 + |i - j| along the path', () => {
    // Path (0,0) (0,1) (1,2): kernels 1, 1, 1; divisors 1, 2, 2 -> (1 + 0.5 + 0.5) / 3.
    const result = computeVertexDtw({ reference, test });
    expect(result.path).toEqual([[0, 0], [0, 1], [1, 2]]);
    expect(result.vertexDtw).toBeCloseTo(2 / 3, 12);
    expect(result.dtw).toBeCloseTo(0, 12);
  });

  it('subtracts the baseline kernel only where the baseline has step i', () => {
    // Baseline has step 0 only: k(r_0, b_0) = exp(-||(1,0) - (0,1)||^2) = exp(-2).
    const result = computeVertexDtw({ reference, test, baseline: rows([[0, 1]]) });
    const lowered = 1 - Math.exp(-2);
    expect(result.vertexDtw).toBeCloseTo((lowered + lowered / 2 + 0.5) / 3, 12);
  });

  it('does not clip after the baseline subtraction (scores can go negative)', () => {
    const result = computeVertexDtw({ reference: rows([[1, 0]]), test: rows([[0, 1]]), baseline: rows([[1, 0]]) });
    expect(result.vertexDtw).toBeCloseTo(Math.exp(-2) - 1, 12);
  });

  it('uses the Euclidean distance in the kernel, so scale matters there but not in the alignment', () => {
    const result = computeVertexDtw({ reference: rows([[2, 0]]), test: rows([[1, 0]]) });
    expect(result.dtw).toBeCloseTo(0, 12);
    expect(result.vertexDtw).toBeCloseTo(Math.exp(-1), 12);
  });

  it('rejects a baseline of another width', () => {
    expect(() => computeVertexDtw({ reference, test, baseline: rows([[1, 0, 0]]) })).toThrow(/baseline has 3 dims/);
  });
});
