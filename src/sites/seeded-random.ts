import { createSeededUniform } from '../domain/seeded-uniform';

/** The seed data's generator (mulberry32), so seed data is the same on every start. */
export const createSeededRandom = createSeededUniform;

/** Picks one element of a non-empty list with the given generator. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}
