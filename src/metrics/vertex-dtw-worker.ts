// Body of a VERTEX_DTW worker thread: scores packed chunks posted by VertexDtwWorkerPool and
// transfers the result buffers back. Started by the pool through tsx (see workerBootstrapSource).
import { parentPort } from 'node:worker_threads';
import { scorePackedVertexDtwBatch, type PackedVertexDtwBatch, type SharedVertexDtwBatch } from './vertex-dtw-batch';
import type { VertexDtwWorkerReply } from './vertex-dtw-worker-protocol';

const port = parentPort;
if (!port) throw new Error('vertex-dtw-worker: must run inside a worker thread');

port.on('message', (batch: PackedVertexDtwBatch | SharedVertexDtwBatch) => {
  let reply: VertexDtwWorkerReply;
  try {
    const results = scorePackedVertexDtwBatch(batch);
    const inputBuffer = 'data' in batch ? batch.data.buffer : null;
    reply = { kind: 'results', results, inputBuffer };
    const transfer = [results.dtw.buffer, results.vertexDtw.buffer, results.pathOffsets.buffer, results.path.buffer];
    port.postMessage(reply, inputBuffer ? [...transfer, inputBuffer] : transfer);
  } catch (error) {
    reply = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
const ready: VertexDtwWorkerReply = { kind: 'ready' };
port.postMessage(ready);
