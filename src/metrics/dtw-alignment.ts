/** A DTW warping path: index pairs (i into the reference, j into the test), from (0, 0) to the last pair. */
export type WarpingPath = Array<[number, number]>;

/** The result of aligning two sequences. */
export interface DtwAlignment {
  /** Cumulative cost along the optimal warping path. */
  distance: number;
  path: WarpingPath;
}

/**
 * Exact DTW over a row-major cost matrix of `rows x cols` (step pattern: up, left, diagonal, each
 * adding the cell's cost once). When tracing the path back, ties prefer (i-1, j), then (i, j-1),
 * then (i-1, j-1), as METHOD.md specifies.
 */
export function alignDtw(cost: Float64Array, rows: number, cols: number): DtwAlignment {
  if (rows < 1 || cols < 1) throw new RangeError(`alignDtw: empty cost matrix (${rows} x ${cols})`);
  if (cost.length !== rows * cols) {
    throw new RangeError(`alignDtw: cost matrix holds ${cost.length} values, expected ${rows} x ${cols}`);
  }
  const total = new Float64Array(rows * cols);
  total[0] = cost[0]!;
  for (let j = 1; j < cols; j += 1) total[j] = total[j - 1]! + cost[j]!;
  for (let i = 1; i < rows; i += 1) {
    const row = i * cols;
    const above = row - cols;
    total[row] = total[above]! + cost[row]!;
    for (let j = 1; j < cols; j += 1) {
      const up = total[above + j]!;
      const left = total[row + j - 1]!;
      const diagonal = total[above + j - 1]!;
      let best = up < left ? up : left;
      if (diagonal < best) best = diagonal;
      total[row + j] = best + cost[row + j]!;
    }
  }
  return { distance: total[rows * cols - 1]!, path: traceWarpingPath(total, rows, cols) };
}

function traceWarpingPath(total: Float64Array, rows: number, cols: number): WarpingPath {
  const reversed: WarpingPath = [];
  let i = rows - 1;
  let j = cols - 1;
  reversed.push([i, j]);
  while (i > 0 || j > 0) {
    if (i === 0) {
      j -= 1;
    } else if (j === 0) {
      i -= 1;
    } else {
      const up = total[(i - 1) * cols + j]!;
      const left = total[i * cols + j - 1]!;
      const diagonal = total[(i - 1) * cols + j - 1]!;
      // `<=` keeps the earlier candidate on a tie: up, then left, then diagonal.
      if (up <= left && up <= diagonal) {
        i -= 1;
      } else if (left <= diagonal) {
        j -= 1;
      } else {
        i -= 1;
        j -= 1;
      }
    }
    reversed.push([i, j]);
  }
  return reversed.reverse();
}
