import { describe, expect, it } from 'vitest';
import { episodeSeed } from '../../src/agent/episode-seed';

describe('episodeSeed', () => {
  it('gives the same episode of two runs of one spec the same seed, whatever the run ids', () => {
    const first = episodeSeed('nightly-1/round-1/train/17/0', { runId: 'nightly-1', seed: 3 });
    expect(episodeSeed('nightly-2/round-1/train/17/0', { runId: 'nightly-2', seed: 3 })).toBe(first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(2 ** 31);
  });

  it('differs between spec seeds, samples, tasks and rounds', () => {
    const run = { runId: 'r', seed: 3 };
    const seeds = [
      episodeSeed('r/round-1/train/17/0', run),
      episodeSeed('r/round-1/train/17/0', { runId: 'r', seed: 4 }),
      episodeSeed('r/round-1/train/17/1', run),
      episodeSeed('r/round-1/train/18/0', run),
      episodeSeed('r/round-2/train/17/0', run),
    ];
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('uses the whole id for an episode outside a run (or not under its run id)', () => {
    expect(episodeSeed('nightly/eval/5/0')).toBe(episodeSeed('nightly/eval/5/0', { runId: 'other', seed: 3 }));
    expect(episodeSeed('a/eval/5/0')).not.toBe(episodeSeed('b/eval/5/0'));
  });
});
