import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mixturePreset, MixtureSpecError, parseMixtureSpec } from '../../src/mixtures';

describe('parseMixtureSpec', () => {
  it('fills the defaults: dedup on, all three positions balanced, 10% validation', () => {
    const spec = parseMixtureSpec({ seed: 4, sources: [{ id: 'in_domain', kind: 'in_domain', size: { all: true } }] });
    expect(spec).toMatchObject({
      dedup: true,
      steps: { positions: ['first', 'intermediate', 'last'], balance: true },
      split: { validationFraction: 0.1 },
      sources: [{ rounds: 'all', include: true, shortfall: 'error', filters: {} }],
    });
  });

  it.each([
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { all: true }, weight: 2 }] }, /sources\.0: Unrecognized key: "weight"/],
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { ratio: 1, of: 'b' } }] }, /sources\.0\.size\.of: no source with id "b"/],
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { ratio: 1, of: 'b' } }, { id: 'b', kind: 'ood', size: { ratio: 2, of: 'a' } }] }, /cycle: a -> b -> a/],
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { all: true } }, { id: 'a', kind: 'in_domain', size: { all: true } }] }, /sources\.1\.id: duplicate source id "a"/],
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { all: true }, include: false }] }, /no source is included/],
    [{ seed: 1, sources: [{ id: 'a', kind: 'ood', size: { all: true }, rounds: 'all' }] }, /Unrecognized key: "rounds"/],
    [{ seed: 1, sources: [] }, /sources/],
    [{ sources: [{ id: 'a', kind: 'ood', size: { all: true } }] }, /seed/],
    [{ seed: 1, split: { validationFraction: 0.9 }, sources: [{ id: 'a', kind: 'ood', size: { all: true } }] }, /split\.validationFraction/],
  ])('rejects bad spec %# naming the key', (value, message) => {
    expect(() => parseMixtureSpec(value, 'spec.json')).toThrow(MixtureSpecError);
    expect(() => parseMixtureSpec(value, 'spec.json')).toThrow(message);
  });

  it('accepts the example spec shown in docs/mixtures.md', () => {
    const doc = readFileSync(new URL('../../docs/mixtures.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(parseMixtureSpec(JSON.parse(example!), 'docs/mixtures.md').sources.map((source) => source.id)).toEqual(['in_domain', 'replay', 'ood', 'grounded']);
  });

  it('accepts a preset it produced, unchanged', () => {
    for (const name of ['A', 'B', 'C'] as const) {
      const preset = mixturePreset(name, { seed: 9 });
      expect(parseMixtureSpec(preset)).toEqual(preset);
    }
  });
});
