import { describe, expect, it } from 'vitest';
import { alignCosineDtw } from '../../src/metrics/cosine-dtw';
import { alignDtw } from '../../src/metrics/dtw-alignment';
import { embeddingSequenceFromRows } from '../../src/metrics/embedding-sequence';

const rows = (values: number[][], label?: string) => embeddingSequenceFromRows(values, label);

/** Minimum cost over every monotone path from (0, 0) to the corner, by exhaustive recursion. */
function bruteForceDtw(cost: number[][], i: number, j: number): number {
  const here = cost[i]![j]!;
  if (i === 0 && j === 0) return here;
  const options: number[] = [];
  if (i > 0) options.push(bruteForceDtw(cost, i - 1, j));
  if (j > 0) options.push(bruteForceDtw(cost, i, j - 1));
  if (i > 0 && j > 0) options.push(bruteForceDtw(cost, i - 1, j - 1));
  return here + Math.min(...options);
}

describe('alignCosineDtw', () => {
  it('aligns sequences of unequal length along the hand-computed path', () => {
    const alignment = alignCosineDtw(rows([[1, 0], [0, 1]]), rows([[1, 0], [1, 0], [0, 1]]));
    expect(alignment.distance).toBeCloseTo(0, 12);
    expect(alignment.path).toEqual([[0, 0], [0, 1], [1, 2]]);
  });

  it('sums cosine distances along the path (orthogonal steps cost 1, opposite ones 2)', () => {
    const alignment = alignCosineDtw(rows([[1, 0], [-1, 0]]), rows([[0, 3]]));
    expect(alignment.path).toEqual([[0, 0], [1, 0]]);
    expect(alignment.distance).toBeCloseTo(2, 12);
    const opposite = alignCosineDtw(rows([[1, 1]]), rows([[-2, -2]]));
    expect(opposite.distance).toBeCloseTo(2, 12);
  });

  it('ignores vector length (cosine distance is scale-free)', () => {
    const alignment = alignCosineDtw(rows([[3, 4]]), rows([[0.3, 0.4]]));
    expect(alignment.distance).toBeCloseTo(0, 12);
  });

  it('matches an exhaustive search on random sequences', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    for (let trial = 0; trial < 20; trial += 1) {
      const reference = Array.from({ length: 2 + (trial % 4) }, () => [random(), random(), random()]);
      const test = Array.from({ length: 1 + (trial % 5) }, () => [random(), random(), random()]);
      const cost = reference.map((r) =>
        test.map((t) => {
          const dot = r[0]! * t[0]! + r[1]! * t[1]! + r[2]! * t[2]!;
          return 1 - dot / (Math.hypot(...r) * Math.hypot(...t));
        }),
      );
      const alignment = alignCosineDtw(rows(reference), rows(test));
      expect(alignment.distance).toBeCloseTo(bruteForceDtw(cost, reference.length - 1, test.length - 1), 5);
      const pathCost = alignment.path.reduce((sum, [i, j]) => sum + cost[i]![j]!, 0);
      expect(pathCost).toBeCloseTo(alignment.distance, 5);
    }
  });

  it('rejects a zero vector, naming the sequence and the step', () => {
    expect(() => alignCosineDtw(rows([[1, 0], [0, 0]]), rows([[1, 0]]))).toThrow(/reference\[1\] has zero/);
  });

  it('rejects sequences of different widths', () => {
    expect(() => alignCosineDtw(rows([[1, 0]]), rows([[1, 0, 0]]))).toThrow(/2 dims but test has 3/);
  });
});

describe('alignDtw tie-breaking', () => {
  it('prefers (i-1, j) when all three predecessors tie', () => {
    expect(alignDtw(new Float64Array([0, 0, 0, 0]), 2, 2).path).toEqual([[0, 0], [0, 1], [1, 1]]);
  });

  it('prefers (i-1, j) over (i-1, j-1) when those two tie', () => {
    // Totals: row 0 = [0, 0], row 1 = [1, 0]; from (1, 1), up and diagonal are both 0.
    expect(alignDtw(new Float64Array([0, 0, 1, 0]), 2, 2).path).toEqual([[0, 0], [0, 1], [1, 1]]);
  });

  it('prefers (i, j-1) over (i-1, j-1) when those two tie below (i-1, j)', () => {
    // Totals: row 0 = [0, 1], row 1 = [0, 0]; from (1, 1), left and diagonal are 0, up is 1.
    expect(alignDtw(new Float64Array([0, 1, 0, 0]), 2, 2).path).toEqual([[0, 0], [1, 0], [1, 1]]);
  });

  it('takes the diagonal when it is strictly cheapest', () => {
    expect(alignDtw(new Float64Array([0, 5, 5, 0]), 2, 2)).toEqual({ distance: 0, path: [[0, 0], [1, 1]] });
  });

  it('rejects a cost matrix whose size does not match its shape', () => {
    expect(() => alignDtw(new Float64Array(3), 2, 2)).toThrow(/holds 3 values, expected 2 x 2/);
  });
});

describe('embeddingSequenceFromRows', () => {
  it('names the ragged row', () => {
    expect(() => embeddingSequenceFromRows([[1, 2], [3]], 'test')).toThrow(/test\[1\] has 1 values, expected 2/);
  });
});
