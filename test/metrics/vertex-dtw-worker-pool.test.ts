import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateEmbeddingSequence, type EmbeddingSequence } from '../../src/metrics/embedding-sequence';
import { scoreVertexDtwBatch } from '../../src/metrics/vertex-dtw-batch';
import type { VertexDtwJob } from '../../src/metrics/vertex-dtw';
import { VertexDtwWorkerPool } from '../../src/metrics/vertex-dtw-worker-pool';

function randomSequence(steps: number, dims: number, seed: number): EmbeddingSequence {
  const data = new Float32Array(steps * dims);
  let state = seed;
  for (let index = 0; index < data.length; index += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[index] = state / 2 ** 32 - 0.5;
  }
  return { length: steps, dims, data };
}

function randomJobs(count: number, dims: number): VertexDtwJob[] {
  return Array.from({ length: count }, (_, index) => ({
    reference: randomSequence(5 + (index % 7), dims, index * 3 + 1),
    test: randomSequence(3 + (index % 11), dims, index * 3 + 2),
    baseline: index % 3 === 0 ? null : randomSequence(2 + (index % 5), dims, index * 3 + 3),
  }));
}

describe('VertexDtwWorkerPool', () => {
  let pool: VertexDtwWorkerPool;
  beforeAll(async () => {
    pool = await VertexDtwWorkerPool.start({ size: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('returns exactly the single-thread results, in job order, and reports progress', async () => {
    const jobs = randomJobs(41, 16);
    const progress: number[] = [];
    const results = await pool.scoreBatch(jobs, { chunkSize: 5, onProgress: (done) => progress.push(done) });
    expect(results).toEqual(scoreVertexDtwBatch(jobs));
    expect(progress.at(-1)).toBe(41);
    expect(progress.length).toBe(9);
  });

  it('shares SharedArrayBuffer-backed sequences with the workers and gets the same results', async () => {
    const toShared = (sequence: EmbeddingSequence): EmbeddingSequence => {
      const shared = allocateEmbeddingSequence(sequence.length, sequence.dims);
      shared.data.set(sequence.data);
      return shared;
    };
    const jobs = randomJobs(23, 12);
    const sharedJobs = jobs.map((job) => ({
      reference: toShared(job.reference),
      test: toShared(job.test),
      baseline: job.baseline ? toShared(job.baseline) : null,
    }));
    expect(sharedJobs[0]!.reference.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const results = await pool.scoreBatch(sharedJobs, { chunkSize: 4 });
    expect(results).toEqual(scoreVertexDtwBatch(jobs));
    // A chunk mixing shared and ordinary sequences is packed instead, with the same outcome.
    const mixed = sharedJobs.map((job, index) => (index % 2 === 0 ? job : jobs[index]!));
    expect(await pool.scoreBatch(mixed, { chunkSize: 4 })).toEqual(results);
  });

  it("leaves the caller's arrays usable (chunks are packed copies that get transferred)", async () => {
    const jobs = randomJobs(4, 8);
    await pool.scoreBatch(jobs);
    expect(jobs[0]!.reference.data.length).toBe(jobs[0]!.reference.length * 8);
    expect(scoreVertexDtwBatch(jobs)).toHaveLength(4);
  });

  it('keeps the event loop free while a large batch runs', async () => {
    const jobs = randomJobs(2_000, 768);
    let lastTick = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - lastTick);
      lastTick = now;
    }, 2);
    const started = performance.now();
    await pool.scoreBatch(jobs);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // On the calling thread the loop would be blocked for the whole batch (one gap ~ elapsed);
    // the bound is loose because a loaded machine can deschedule this thread for a while.
    expect(elapsed).toBeGreaterThan(100);
    expect(longestGap).toBeLessThan(elapsed / 2);
  });

  it('rejects a batch with a bad job, naming the job, and stays usable afterwards', async () => {
    const jobs = randomJobs(6, 4);
    jobs[4] = { ...jobs[4]!, test: { length: 1, dims: 4, data: new Float32Array(4) } };
    await expect(pool.scoreBatch(jobs, { chunkSize: 2 })).rejects.toThrow(/VERTEX_DTW job 4: test\[0\] has zero/);
    await expect(pool.scoreBatch(randomJobs(3, 4))).resolves.toHaveLength(3);
  });

  it('rejects a malformed job before dispatching it', async () => {
    const jobs = randomJobs(2, 4);
    jobs[1] = { ...jobs[1]!, test: { length: 2, dims: 4, data: new Float32Array(7) } };
    await expect(pool.scoreBatch(jobs)).rejects.toThrow(/VERTEX_DTW job 1 test: data holds 7 values/);
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('operator cancelled'));
    await expect(pool.scoreBatch(randomJobs(3, 4), { signal: controller.signal })).rejects.toThrow('operator cancelled');
  });

  it('refuses a pool size that is not a positive integer', async () => {
    await expect(VertexDtwWorkerPool.start({ size: 0 })).rejects.toThrow(/size must be a positive integer \(got 0\)/);
  });

  it('refuses work once closed', async () => {
    const closing = await VertexDtwWorkerPool.start({ size: 1 });
    await closing.close();
    await expect(closing.scoreBatch(randomJobs(1, 4))).rejects.toThrow(/pool is closed/);
  });
});
