import { createHash } from 'node:crypto';

/** A deterministic sample of `count` items: ordered by a hash of (seed, position), then back in input order. */
export function seededSample<T>(items: T[], count: number, seed: string): T[] {
  if (count >= items.length) return items;
  const ranked = items.map((item, position) => ({
    item,
    position,
    rank: createHash('sha256').update(`${seed}/${position}`).digest('hex'),
  }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  return ranked.slice(0, count).sort((a, b) => a.position - b.position).map((entry) => entry.item);
}
