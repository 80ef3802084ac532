import { parseMixtureSpec, type MixtureSpec, type MixtureSpecInput } from './mixture-spec';

/** METHOD.md step 5's three mixtures. */
export type MixturePresetName = 'A' | 'B' | 'C';

/** What a preset leaves open. */
export interface MixturePresetOptions {
  seed: number;
  validationFraction?: number;
  /** Which rounds' kept trajectories feed the in-domain source; `all` pools them newest-per-task (the paper's round 2). */
  rounds?: 'current' | 'earlier' | 'all';
  /** Plain synthetic OOD (the paper) or grounded OOD. */
  oodKind?: 'ood' | 'grounded_ood';
  /** What to do when fewer OOD examples exist than N. */
  shortfall?: 'error' | 'use_available';
  /**
   * METHOD.md's first/intermediate/last balancing (default true). With it, kept trajectories that are all
   * shorter than 3 steps give no intermediate step, so m = 0 and no in-domain example survives.
   */
  balance?: boolean;
}

/**
 * The preset specs. N is the number of in-domain examples the kept trajectories give (after balancing):
 * A = those N; B = A plus N OOD examples (2N); C = N OOD examples only (the in-domain source is a yardstick).
 */
export function mixturePreset(name: MixturePresetName, options: MixturePresetOptions): MixtureSpec {
  const shortfall = options.shortfall ?? 'error';
  const inDomain = { id: 'in_domain', kind: 'in_domain', rounds: options.rounds ?? 'all', size: { all: true } } as const;
  const ood = { id: 'ood', kind: options.oodKind ?? 'ood', size: { ratio: 1, of: 'in_domain' }, shortfall } as const;
  const sources: Record<MixturePresetName, MixtureSpecInput['sources']> = {
    A: [inDomain],
    B: [inDomain, ood],
    C: [{ ...inDomain, include: false }, ood],
  };
  return parseMixtureSpec({
    name: `preset-${name}`,
    seed: options.seed,
    sources: sources[name],
    steps: { balance: options.balance ?? true },
    split: { validationFraction: options.validationFraction ?? 0.1 },
  }, `mixture preset ${name}`);
}
