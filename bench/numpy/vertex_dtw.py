"""VERTEX_DTW in NumPy: the same computation as src/metrics/vertex-dtw.ts, for the benchmark.

Usage: python vertex_dtw.py MANIFEST.json REPETITIONS
The manifest names a little-endian float32 data file holding, for each pair in order, the
reference, test and baseline rows. Prints JSON: per-repetition wall and CPU seconds and each
pair's results. Only the scoring is timed (not reading the file).
"""

import json
import sys
import time

import numpy as np


def dtw_path(cost):
    """Exact DTW on a cost matrix; ties prefer (i-1, j), then (i, j-1), then (i-1, j-1)."""
    n, m = cost.shape
    c = cost.tolist()
    total = [[0.0] * m for _ in range(n)]
    row = total[0]
    row[0] = c[0][0]
    for j in range(1, m):
        row[j] = row[j - 1] + c[0][j]
    for i in range(1, n):
        above, row, ci = total[i - 1], total[i], c[i]
        row[0] = above[0] + ci[0]
        for j in range(1, m):
            row[j] = min(above[j], row[j - 1], above[j - 1]) + ci[j]
    i, j = n - 1, m - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            up, left, diagonal = total[i - 1][j], total[i][j - 1], total[i - 1][j - 1]
            if up <= left and up <= diagonal:
                i -= 1
            elif left <= diagonal:
                j -= 1
            else:
                i, j = i - 1, j - 1
        path.append((i, j))
    path.reverse()
    return total[n - 1][m - 1], path


def vertex_dtw(reference, test, baseline):
    r = reference.astype(np.float64)
    t = test.astype(np.float64)
    r_norms = np.einsum("ij,ij->i", r, r)
    t_norms = np.einsum("ij,ij->i", t, t)
    dots = r @ t.T
    cost = 1.0 - dots / np.sqrt(np.outer(r_norms, t_norms))
    distance, path = dtw_path(cost)
    index = np.asarray(path)
    i, j = index[:, 0], index[:, 1]
    squared = np.maximum(r_norms[i] + t_norms[j] - 2.0 * dots[i, j], 0.0)
    scores = np.clip(np.exp(-squared), 0.0, 1.0)
    if baseline is not None and len(baseline) > 0:
        steps = min(len(r), len(baseline))
        b = baseline[:steps].astype(np.float64)
        base_squared = r_norms[:steps] + np.einsum("ij,ij->i", b, b) - 2.0 * np.einsum("ij,ij->i", r[:steps], b)
        base_kernel = np.exp(-np.maximum(base_squared, 0.0))
        has_step = i < steps
        scores[has_step] -= base_kernel[i[has_step]]
    scores /= 1.0 + np.abs(i - j)
    return distance, len(path), float(scores.sum() / len(path))


def main():
    manifest_path, repetitions = sys.argv[1], int(sys.argv[2])
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    dims = manifest["dims"]
    data = np.fromfile(manifest["dataFile"], dtype="<f4")
    pairs, offset = [], 0
    for pair in manifest["pairs"]:
        parts = []
        for key in ("referenceSteps", "testSteps", "baselineSteps"):
            size = pair[key] * dims
            parts.append(data[offset : offset + size].reshape(pair[key], dims) if size else None)
            offset += size
        pairs.append(parts)
    seconds, cpu_seconds, results = [], [], []
    for _ in range(repetitions):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = [vertex_dtw(r, t, b) for r, t, b in pairs]
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    json.dump(
        {
            "numpyVersion": np.__version__,
            "seconds": seconds,
            "cpuSeconds": cpu_seconds,
            "results": [{"dtw": d, "pathLength": p, "vertexDtw": v} for d, p, v in results],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
