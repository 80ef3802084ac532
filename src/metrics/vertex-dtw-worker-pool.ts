import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isSharedEmbeddingSequence } from './embedding-sequence';
import {
  packVertexDtwBatch,
  unpackVertexDtwResults,
  type PackedVertexDtwBatch,
  type PackedVertexDtwResults,
  type SharedVertexDtwBatch,
} from './vertex-dtw-batch';
import { assertVertexDtwJob, type VertexDtwJob, type VertexDtwResult } from './vertex-dtw';
import type { VertexDtwWorkerReply } from './vertex-dtw-worker-protocol';

/** How long a new worker may take to load its code before start() gives up. */
export const WORKER_START_TIMEOUT_MS = 30_000;

/**
 * Node cannot start a worker on a .ts file, and the project runs its sources through tsx (CLI) or
 * vitest (tests) with no build step. So the worker starts from a one-line module script that loads
 * the TypeScript worker body through tsx's scoped loader: the kernel stays typed TypeScript, shared
 * with the single-thread path, and no loader is registered process-wide.
 */
function workerBootstrapSource(): string {
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const body = JSON.stringify(new URL('./vertex-dtw-worker.ts', import.meta.url).href);
  return `import(${tsxApi}).then(({ tsImport }) => tsImport(${body}, ${body}));`;
}

/** Options for one batch. */
export interface VertexDtwBatchOptions {
  /** Stops handing out chunks; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each finished chunk, e.g. to heartbeat a Temporal activity. */
  onProgress?: (done: number, total: number) => void;
  /** Jobs per chunk; default spreads the batch over about four chunks per worker. */
  chunkSize?: number;
}

interface Chunk {
  batch: PackedVertexDtwBatch | SharedVertexDtwBatch;
  resolve: (results: PackedVertexDtwResults) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed pool of worker threads that score VERTEX_DTW batches off the event loop. A chunk whose
 * sequences all live in SharedArrayBuffers (what embeddingSequenceFromRows makes) is posted as is,
 * with no copy; any other chunk is packed into one buffer that is transferred (not cloned) to the
 * worker and handed back for reuse.
 */
export class VertexDtwWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Chunk>();
  private readonly queue: Chunk[] = [];
  /** Input buffers the workers handed back, reused for later chunks. */
  private readonly spareBuffers: ArrayBuffer[] = [];
  private closed = false;

  private constructor(readonly size: number) {}

  /** Starts `size` workers (default: the machine's available parallelism) and waits until they are ready. */
  static async start(options: { size?: number } = {}): Promise<VertexDtwWorkerPool> {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`VertexDtwWorkerPool.start: size must be a positive integer (got ${size})`);
    }
    const pool = new VertexDtwWorkerPool(size);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawnWorker()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Scores every job on the pool; results come back in the jobs' order. */
  async scoreBatch(jobs: readonly VertexDtwJob[], options: VertexDtwBatchOptions = {}): Promise<VertexDtwResult[]> {
    if (this.closed) throw new Error('VertexDtwWorkerPool.scoreBatch: the pool is closed');
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(jobs.length / (this.size * 8)));
    if (!Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new RangeError(`VertexDtwWorkerPool.scoreBatch: chunkSize must be a positive integer (got ${chunkSize})`);
    }
    const results: VertexDtwResult[] = new Array<VertexDtwResult>(jobs.length);
    // The first failure cancels this batch's queued chunks (chunks already running finish).
    const cancel = new AbortController();
    const batchSignal = signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal;
    let failure: Error | undefined;
    // At most two chunks per worker are packed ahead: memory stays bounded and buffers recycle.
    const outstanding = new Set<Promise<void>>();
    let done = 0;
    for (let start = 0; start < jobs.length && failure === undefined; start += chunkSize) {
      while (outstanding.size >= this.size * 2) await Promise.race(outstanding);
      if (failure !== undefined) break;
      let batch: PackedVertexDtwBatch | SharedVertexDtwBatch;
      try {
        batchSignal.throwIfAborted();
        batch = this.prepareChunk(jobs.slice(start, start + chunkSize), start);
      } catch (error) {
        failure ??= toError(error);
        break;
      }
      const chunkJobs = Math.min(chunkSize, jobs.length - start);
      const chunkDone: Promise<void> = this.submit(batch, batchSignal)
        .then(
          (packed) => {
            unpackVertexDtwResults(packed).forEach((result, offset) => {
              results[start + offset] = result;
            });
            done += chunkJobs;
            onProgress?.(done, jobs.length);
          },
          (error: unknown) => {
            failure ??= toError(error);
            cancel.abort(failure);
          },
        )
        .finally(() => outstanding.delete(chunkDone));
      outstanding.add(chunkDone);
      // Let finished chunks' callbacks (and heartbeats) run between packs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(outstanding);
    if (failure) throw failure;
    return results;
  }

  /** Stops every worker; pending chunks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('VertexDtwWorkerPool: closed while chunks were pending');
    for (const chunk of this.queue.splice(0)) chunk.reject(error);
    for (const chunk of this.busy.values()) chunk.reject(error);
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private prepareChunk(jobs: VertexDtwJob[], firstJobIndex: number): PackedVertexDtwBatch | SharedVertexDtwBatch {
    const shared = jobs.every(
      (job) => isSharedEmbeddingSequence(job.reference) && isSharedEmbeddingSequence(job.test) && (!job.baseline || isSharedEmbeddingSequence(job.baseline)),
    );
    if (!shared) return packVertexDtwBatch(jobs, firstJobIndex, (floats) => this.allocate(floats));
    jobs.forEach((job, offset) => assertVertexDtwJob(job, `VERTEX_DTW job ${firstJobIndex + offset}`));
    return { firstJobIndex, jobs };
  }

  private allocate(floats: number): Float32Array<ArrayBuffer> {
    const bytes = floats * Float32Array.BYTES_PER_ELEMENT;
    const index = this.spareBuffers.findIndex((buffer) => buffer.byteLength >= bytes);
    if (index < 0) return new Float32Array(floats);
    const [buffer] = this.spareBuffers.splice(index, 1);
    return new Float32Array(buffer!, 0, floats);
  }

  private submit(batch: PackedVertexDtwBatch | SharedVertexDtwBatch, signal: AbortSignal | undefined): Promise<PackedVertexDtwResults> {
    return new Promise<PackedVertexDtwResults>((resolve, reject) => {
      const chunk: Chunk = { batch, resolve, reject };
      if (signal) {
        const onAbort = (): void => {
          const queued = this.queue.indexOf(chunk);
          if (queued >= 0) this.queue.splice(queued, 1);
          reject(toError(signal.reason));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        chunk.resolve = (results) => {
          signal.removeEventListener('abort', onAbort);
          resolve(results);
        };
        chunk.reject = (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        };
      }
      this.queue.push(chunk);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const chunk = this.queue.shift()!;
      this.busy.set(worker, chunk);
      const { batch } = chunk;
      if ('jobs' in batch) worker.postMessage(batch);
      else worker.postMessage(batch, [batch.shapes.buffer, batch.data.buffer]);
    }
  }

  private spawnWorker(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerBootstrapSource(), { eval: true });
      let ready = false;
      const startTimer = setTimeout(() => {
        reject(new Error(`VertexDtwWorkerPool: worker did not start within ${WORKER_START_TIMEOUT_MS} ms`));
        void worker.terminate();
      }, WORKER_START_TIMEOUT_MS);
      worker.on('message', (reply: VertexDtwWorkerReply) => {
        if (reply.kind === 'ready') {
          ready = true;
          clearTimeout(startTimer);
          this.idle.push(worker);
          this.dispatch();
          resolve();
          return;
        }
        const chunk = this.busy.get(worker);
        this.busy.delete(worker);
        if (!this.closed) this.idle.push(worker);
        if (chunk) {
          if (reply.kind === 'results') {
            if (reply.inputBuffer && this.spareBuffers.length < this.size * 3) this.spareBuffers.push(reply.inputBuffer);
            chunk.resolve(reply.results);
          } else {
            chunk.reject(new Error(reply.message));
          }
        }
        this.dispatch();
      });
      worker.on('error', (error) => {
        clearTimeout(startTimer);
        if (!ready) {
          reject(new Error(`VertexDtwWorkerPool: worker failed to start: ${error.message}`, { cause: error }));
          return;
        }
        this.replaceCrashedWorker(worker, error);
      });
      worker.on('exit', (code) => {
        // After an 'error' the worker is already gone from both lists; this catches silent exits.
        if (this.closed || !ready || !(this.busy.has(worker) || this.idle.includes(worker))) return;
        this.replaceCrashedWorker(worker, new Error(`worker exited with code ${code}`));
      });
    });
  }

  private replaceCrashedWorker(worker: Worker, error: Error): void {
    const chunk = this.busy.get(worker);
    this.busy.delete(worker);
    const idleIndex = this.idle.indexOf(worker);
    if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
    chunk?.reject(new Error(`VERTEX_DTW worker crashed: ${error.message}`, { cause: error }));
    if (this.closed) return;
    this.spawnWorker().catch((spawnError: unknown) => {
      // Without a replacement the pool is smaller; fail what waits rather than hang.
      const message = spawnError instanceof Error ? spawnError.message : String(spawnError);
      if (this.idle.length + this.busy.size === 0) {
        for (const queued of this.queue.splice(0)) queued.reject(new Error(`VERTEX_DTW pool has no workers: ${message}`));
      }
    });
  }
}

function toError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'VERTEX_DTW batch aborted');
}
