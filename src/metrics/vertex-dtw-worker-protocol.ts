import type { PackedVertexDtwResults } from './vertex-dtw-batch';

/** What a VERTEX_DTW worker thread posts back to the pool. */
export type VertexDtwWorkerReply =
  | { kind: 'ready' }
  /** `inputBuffer` is a packed chunk's data buffer, handed back so the pool can reuse it. */
  | { kind: 'results'; results: PackedVertexDtwResults; inputBuffer: ArrayBuffer | null }
  | { kind: 'error'; message: string };
