import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Seeded draws for mixture building: the same seed gives the same draws on every machine. */
export interface SeededRandom {
  /** A uniform integer in [from, to], both included. */
  integer(from: number, to: number): number;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct items in their original order (all of them when count >= length). */
  sample<T>(items: readonly T[], count: number): T[];
}

/**
 * A 32-bit seed derived from a base seed and a label (sha-256, first 4 bytes), so every purpose
 * ("split", one trajectory's step choice) gets its own stream and adding an input does not shift
 * the draws made for the others.
 */
export function deriveSeed(seed: number, label: string): number {
  return createHash('sha256').update(`${seed}\u0000${label}`).digest().readInt32BE(0);
}

/** A seeded generator (xoroshiro128+ from pure-rand) for one purpose. */
export function createSeededRandom(seed: number, label: string): SeededRandom {
  const generator = xoroshiro128plus(deriveSeed(seed, label));
  const integer = (from: number, to: number): number => uniformInt(generator, from, to);
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = integer(0, index);
      [copy[index], copy[other]] = [copy[other]!, copy[index]!];
    }
    return copy;
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    if (count >= items.length) return [...items];
    const chosen = new Set(shuffle(items.map((_, index) => index)).slice(0, Math.max(0, count)));
    return items.filter((_, index) => chosen.has(index));
  };
  return { integer, shuffle, sample };
}
