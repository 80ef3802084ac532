import { createHash } from 'node:crypto';

/**
 * A 31-bit sampling seed, so a sample is reproducible and samples differ: from the run spec's seed
 * and the episode id without the run id in front (the same spec gives the same samples in every
 * run), or from the whole episode id for an episode outside a run.
 */
export function episodeSeed(episodeId: string, run?: { runId: string; seed: number }): number {
  const key = run && episodeId.startsWith(`${run.runId}/`) ? `seed-${run.seed}/${episodeId.slice(run.runId.length + 1)}` : episodeId;
  return createHash('sha256').update(key).digest().readUInt32BE(0) >>> 1;
}
