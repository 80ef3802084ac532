import { describe, expect, it } from 'vitest';
import { apportionValidation, buildMixture, mixturePreset, MixtureBuildError, type Mixture, type MixtureSpecInput } from '../../src/mixtures';
import { keptTrajectories, syntheticExamples } from './mixture-fixture';

// 20 kept 3-step trajectories give 20 first + 20 intermediate + 20 last = N = 60 in-domain examples.
const inDomain = [{ round: 1, trajectories: keptTrajectories(20, { round: 1 }) }];
const inputs = { currentRound: 1, inDomain, ood: syntheticExamples(100) };
const N = 60;

const bySource = (examples: Mixture['train']) => ({
  in_domain: examples.filter((example) => example.provenance.mixtureSource === 'in_domain').length,
  ood: examples.filter((example) => example.provenance.mixtureSource === 'ood').length,
});

describe('buildMixture presets', () => {
  it('A is the N in-domain examples, split 90/10', () => {
    const mixture = buildMixture(mixturePreset('A', { seed: 1 }), inputs);
    expect(mixture.counts).toMatchObject({ total: N, train: 54, validation: 6 });
    expect(mixture.counts.bySource.in_domain).toMatchObject({ trajectories: 20, available: N, selected: N, positions: { first: 20, intermediate: 20, last: 20 } });
    expect(bySource([...mixture.train, ...mixture.validation])).toEqual({ in_domain: N, ood: 0 });
  });

  it('B is A plus an equal number N of OOD examples (2N), with the same composition in validation', () => {
    const mixture = buildMixture(mixturePreset('B', { seed: 1 }), inputs);
    expect(mixture.counts).toMatchObject({ total: 2 * N, train: 108, validation: 12 });
    expect(bySource(mixture.train)).toEqual({ in_domain: 54, ood: 54 });
    expect(bySource(mixture.validation)).toEqual({ in_domain: 6, ood: 6 });
    expect(mixture.counts.bySource.ood).toMatchObject({ available: 100, requested: N, selected: N, shortfall: 0 });
  });

  it('C is N OOD examples only, sized against the in-domain pool without including it', () => {
    const mixture = buildMixture(mixturePreset('C', { seed: 1 }), inputs);
    expect(mixture.counts).toMatchObject({ total: N, train: 54, validation: 6 });
    expect(bySource([...mixture.train, ...mixture.validation])).toEqual({ in_domain: 0, ood: N });
    expect(mixture.counts.bySource.in_domain).toMatchObject({ included: false, selected: N, train: 0, validation: 0 });
  });

  it('B fails naming the source and the numbers when there are fewer OOD examples than N', () => {
    const short = { ...inputs, ood: syntheticExamples(25) };
    expect(() => buildMixture(mixturePreset('B', { seed: 1 }), short)).toThrow(MixtureBuildError);
    expect(() => buildMixture(mixturePreset('B', { seed: 1 }), short)).toThrow(/source "ood": asks for 60 examples but only 25/);
  });

  it('B takes what there is and reports the shortfall when told to', () => {
    const mixture = buildMixture(mixturePreset('B', { seed: 1, shortfall: 'use_available' }), { ...inputs, ood: syntheticExamples(25) });
    expect(mixture.counts.total).toBe(N + 25);
    expect(mixture.counts.bySource.ood).toMatchObject({ requested: N, selected: 25, shortfall: 35 });
  });
});

describe('buildMixture balancing', () => {
  it('keeps no in-domain example when no kept trajectory has an intermediate step, unless balancing is off', () => {
    const short = { currentRound: 1, inDomain: [{ round: 1, trajectories: keptTrajectories(6, { length: 2 }) }] };
    const balanced = buildMixture(mixturePreset('A', { seed: 1, shortfall: 'use_available' }), short);
    expect(balanced.counts.bySource.in_domain).toMatchObject({ candidates: 12, balancingDropped: 12, selected: 0 });
    const unbalanced = buildMixture(mixturePreset('A', { seed: 1, balance: false }), short);
    expect(unbalanced.counts.bySource.in_domain).toMatchObject({ selected: 12, positions: { first: 6, intermediate: 0, last: 6 } });
  });

  it('balances positions after de-duplication so the rule holds exactly', () => {
    // Copies of two 3-step trajectories (same steps, other episode ids) collapse before balancing.
    const trajectories = [...keptTrajectories(5, { length: 3 }), ...keptTrajectories(3, { length: 2, firstTask: 10 })];
    const copies = trajectories.slice(0, 2).map((trajectory) => ({ ...trajectory, episodeId: `${trajectory.episodeId}-copy` }));
    const mixture = buildMixture(mixturePreset('A', { seed: 1 }), { currentRound: 1, inDomain: [{ round: 1, trajectories: [...trajectories, ...copies] }] });
    const { positions, duplicatesDropped } = mixture.counts.bySource.in_domain!;
    expect(duplicatesDropped).toBe(6);
    expect(positions).toEqual({ first: 5, intermediate: 5, last: 5 });
  });
});

describe('buildMixture determinism', () => {
  it('gives the same examples and content hash for the same spec, seed and inputs', () => {
    const first = buildMixture(mixturePreset('B', { seed: 7 }), inputs);
    const second = buildMixture(mixturePreset('B', { seed: 7 }), { ...inputs, inDomain: structuredClone(inDomain), ood: structuredClone(inputs.ood) });
    expect(second.contentHash).toBe(first.contentHash);
    expect(second.train).toEqual(first.train);
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a different selection and hash for a different seed', () => {
    const first = buildMixture(mixturePreset('B', { seed: 7 }), inputs);
    const second = buildMixture(mixturePreset('B', { seed: 8 }), inputs);
    expect(second.contentHash).not.toBe(first.contentHash);
    expect(second.validation.map(({ id }) => id)).not.toEqual(first.validation.map(({ id }) => id));
  });

  it('gives a different hash when one input example changes', () => {
    const changed = structuredClone(inputs.ood);
    changed[0]!.response = changed[0]!.response.replace(/click/, 'hover');
    const spec = mixturePreset('B', { seed: 7 });
    const all = { ...spec, sources: spec.sources.map((source) => (source.id === 'ood' ? { ...source, size: { all: true as const } } : source)) };
    expect(buildMixture(all, { ...inputs, ood: changed }).contentHash).not.toBe(buildMixture(all, inputs).contentHash);
  });
});

describe('buildMixture split', () => {
  it('puts every selected example in exactly one of train and validation', () => {
    const mixture = buildMixture(mixturePreset('B', { seed: 3 }), inputs);
    const trainIds = new Set(mixture.train.map(({ id }) => id));
    expect(mixture.validation.filter(({ id }) => trainIds.has(id))).toEqual([]);
    expect(new Set([...trainIds, ...mixture.validation.map(({ id }) => id)]).size).toBe(2 * N);
  });

  it.each([
    [[100], 0.1, [10]],
    [[60, 60], 0.1, [6, 6]],
    [[7, 3], 0.1, [1, 0]],
    [[15, 5], 0.1, [2, 0]],
    [[5], 0.1, [1]],
    [[1], 0.1, [0]],
    [[0, 0], 0.1, [0, 0]],
    [[40], 0, [0]],
  ])('apportions validation for source sizes %j at fraction %d as %j', (sizes, fraction, expected) => {
    expect(apportionValidation(sizes, fraction)).toEqual(expected);
  });
});

describe('buildMixture de-duplication', () => {
  const duplicated = () => {
    const ood = syntheticExamples(4);
    ood.push({ ...ood[0]!, id: 'ood-copy', response: `  ${ood[0]!.response.replace(' ', '\n  ')}  ` });
    return ood;
  };
  const allOod = (dedup: boolean): MixtureSpecInput => ({ seed: 1, dedup, sources: [{ id: 'ood', kind: 'ood', size: { all: true } }] });

  it('drops an example whose prompt and response differ only in whitespace', () => {
    const mixture = buildMixture(allOod(true), { currentRound: 1, inDomain: [], ood: duplicated() });
    expect(mixture.counts.total).toBe(4);
    expect(mixture.counts.bySource.ood).toMatchObject({ candidates: 5, duplicatesDropped: 1 });
    expect([...mixture.train, ...mixture.validation].map(({ id }) => id)).not.toContain('ood-copy');
  });

  it('keeps both copies when de-duplication is off', () => {
    expect(buildMixture(allOod(false), { currentRound: 1, inDomain: [], ood: duplicated() }).counts.total).toBe(5);
  });

  it('drops from a later source an example an earlier included source already has', () => {
    const [trajectory] = keptTrajectories(1, { length: 1 });
    const step = trajectory!.steps[0]!;
    const copy = { id: 'copied-step', messages: step.promptMessages, response: step.response, provenance: {} };
    const spec: MixtureSpecInput = { seed: 1, steps: { positions: ['first'] }, sources: [
      { id: 'in_domain', kind: 'in_domain', size: { all: true } },
      { id: 'ood', kind: 'ood', size: { all: true } },
    ] };
    const mixture = buildMixture(spec, { currentRound: 1, inDomain: [{ round: 1, trajectories: [trajectory!] }], ood: [copy, ...syntheticExamples(2)] });
    expect(mixture.counts.bySource.ood).toMatchObject({ duplicatesDropped: 1, selected: 2 });
  });
});

describe('buildMixture sources', () => {
  const rounds = [
    { round: 0, trajectories: keptTrajectories(4, { round: 0, firstTask: 0 }) }, // tasks 0-3
    { round: 1, trajectories: keptTrajectories(2, { round: 1, firstTask: 2 }) }, // tasks 2-3
  ];
  const episodes = (mixture: Mixture) => new Set([...mixture.train, ...mixture.validation].map(({ provenance }) => `${String(provenance.round)}:${String(provenance.taskId)}`));
  const inDomainOnly = (rounds: 'current' | 'earlier' | 'all', extra: object = {}): MixtureSpecInput => ({ seed: 1, sources: [{ id: 'in_domain', kind: 'in_domain', rounds, size: { all: true }, ...extra }] });

  it('pools all rounds newest-per-task, takes only this round, or replays only earlier rounds', () => {
    const source = { currentRound: 1, inDomain: rounds };
    expect(episodes(buildMixture(inDomainOnly('all'), source))).toEqual(new Set(['0:0', '0:1', '1:2', '1:3']));
    expect(episodes(buildMixture(inDomainOnly('current'), source))).toEqual(new Set(['1:2', '1:3']));
    expect(episodes(buildMixture(inDomainOnly('earlier'), source))).toEqual(new Set(['0:0', '0:1', '0:2', '0:3']));
  });

  it('applies template filters to in-domain trajectories', () => {
    const mixture = buildMixture(inDomainOnly('all', { filters: { intentTemplateIds: [1000, 1001] } }), { currentRound: 1, inDomain: rounds });
    expect(episodes(mixture)).toEqual(new Set(['0:0', '0:1']));
  });

  it('keeps only synthetic examples whose provenance matches the filter', () => {
    const ood = [...syntheticExamples(3, { prefix: 'checked', provenance: { verified: true } }), ...syntheticExamples(5, { prefix: 'unchecked', provenance: { verified: false } })];
    const spec: MixtureSpecInput = { seed: 1, sources: [{ id: 'grounded', kind: 'grounded_ood', size: { all: true }, filters: { provenance: { verified: true } } }] };
    const mixture = buildMixture(spec, { currentRound: 1, inDomain: [], groundedOod: ood });
    expect([...mixture.train, ...mixture.validation].map(({ id }) => id).sort()).toEqual(['checked-0', 'checked-1', 'checked-2']);
  });

  it('takes an exact count as a seeded sample', () => {
    const spec: MixtureSpecInput = { seed: 1, sources: [{ id: 'ood', kind: 'ood', size: { count: 30 } }] };
    expect(buildMixture(spec, inputs).counts).toMatchObject({ total: 30, train: 27, validation: 3 });
  });

  it('rejects trajectories newer than the current round', () => {
    expect(() => buildMixture(inDomainOnly('all'), { currentRound: 0, inDomain: rounds })).toThrow(/round 1 are newer than the current round 0/);
  });

  it('rejects a malformed synthetic example naming its index and field', () => {
    const ood = syntheticExamples(3);
    (ood[1] as unknown as { messages: unknown }).messages = [{ role: 'robot', content: 'x' }];
    const spec: MixtureSpecInput = { seed: 1, sources: [{ id: 'ood', kind: 'ood', size: { all: true } }] };
    expect(() => buildMixture(spec, { currentRound: 1, inDomain: [], ood })).toThrow(/source "ood": ood example 1: messages\.0\.role/);
  });
});
