import { createSeededUniform } from '../domain/seeded-uniform';

/** 32-bit FNV-1a hash of a string: stable across runs and machines. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A uniform [0, 1) generator (mulberry32): the same seed gives the same sequence. */
export type RandomSource = () => number;

/** Creates a seeded random source. */
export const createSeededRandom: (seed: number) => RandomSource = createSeededUniform;
