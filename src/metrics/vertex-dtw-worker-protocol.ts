import type { PackedVertexDtwResults } from './vertex-dtw-batch';

/** What a VERTEX_DTW worker thread posts back to the pool. */
export type VertexDtwWorkerReply =
  | { kind: 'ready' }
  | { kind: 'results'; results: PackedVertexDtwResults }
  | { kind: 'error'; message: string };
