import { contentHash } from '../domain/content-hash';
import { exampleFingerprint } from './example-fingerprint';
import { parseMixtureSpec, type MixtureSource, type MixtureSpec, type MixtureSpecInput } from './mixture-spec';
import { poolNewestPerTask, type RoundTrajectories } from './pool-rounds';
import { createSeededRandom } from './seeded-random';
import { trainingExampleSchema, type StepPosition, type SyntheticExample, type TrainingExample } from './training-example';
import { balanceStepPositions, examplesFromTrajectory } from './trajectory-examples';

/** Bumped when the way a mixture is built changes, so old and new content hashes never collide. */
export const MIXTURE_FORMAT_VERSION = 1;

/** Everything a mixture can draw from. Trajectories must already be the critique filter's kept ones. */
export interface MixtureInputs {
  /** The round label of this round's rollouts; earlier labels are replay. */
  currentRound: number;
  inDomain: RoundTrajectories[];
  ood?: SyntheticExample[];
  groundedOod?: SyntheticExample[];
}

/** Per-source bookkeeping, so a report can say where every example came from and what was dropped. */
export interface SourceCounts {
  kind: MixtureSource['kind'];
  included: boolean;
  /** In-domain only: trajectories after round pooling and filters (null for synthetic sources). */
  trajectories: number | null;
  /** Examples after filters, before de-duplication and balancing. */
  candidates: number;
  duplicatesDropped: number;
  /** In-domain only: examples dropped by the first/intermediate/last balancing. */
  balancingDropped: number;
  available: number;
  requested: number;
  selected: number;
  /** requested - selected when `shortfall: use_available` had to take fewer. */
  shortfall: number;
  train: number;
  validation: number;
  /** In-domain only: selected examples per step position. */
  positions: Record<StepPosition, number> | null;
}

export interface MixtureCounts {
  train: number;
  validation: number;
  total: number;
  bySource: Record<string, SourceCounts>;
}

export interface Mixture {
  train: TrainingExample[];
  validation: TrainingExample[];
  counts: MixtureCounts;
  /** sha-256 over the format version, the parsed spec and both example lists in order. */
  contentHash: string;
}

/** A mixture that cannot be built from these inputs (too few examples, malformed synthetic data). */
export class MixtureBuildError extends Error {
  override readonly name = 'MixtureBuildError';
  constructor(readonly sourceId: string | null, message: string) {
    super(`buildMixture${sourceId ? ` source "${sourceId}"` : ''}: ${message}`);
  }
}

interface SourcePool {
  source: MixtureSource;
  pool: PositionedOrPlain[];
  counts: SourceCounts;
}

type PositionedOrPlain = { position: StepPosition | null; example: TrainingExample };

/** Builds a training mixture: sources -> filters -> de-dup -> balancing -> sizes -> seeded 90/10 split. */
export function buildMixture(specInput: MixtureSpec | MixtureSpecInput, inputs: MixtureInputs): Mixture {
  const spec = parseMixtureSpec(specInput);
  const seenFingerprints = new Set<string>();
  const pools = new Map<string, SourcePool>();
  for (const source of spec.sources) {
    const candidates = source.kind === 'in_domain' ? inDomainCandidates(source, spec, inputs) : syntheticCandidates(source, inputs);
    const unique: PositionedOrPlain[] = [];
    const poolFingerprints = new Set<string>();
    for (const candidate of candidates.examples) {
      const fingerprint = exampleFingerprint(candidate.example);
      if (spec.dedup && (seenFingerprints.has(fingerprint) || poolFingerprints.has(fingerprint))) continue;
      poolFingerprints.add(fingerprint);
      unique.push(candidate);
    }
    const balanced = source.kind === 'in_domain' && spec.steps.balance
      ? balanceStepPositions(unique, { seed: spec.seed, positions: spec.steps.positions })
      : unique;
    // Only what can enter the mixture blocks later duplicates; a yardstick source does not.
    if (source.include) for (const fingerprint of poolFingerprints) seenFingerprints.add(fingerprint);
    pools.set(source.id, {
      source,
      pool: balanced,
      counts: {
        kind: source.kind,
        included: source.include,
        trajectories: candidates.trajectories,
        candidates: candidates.examples.length,
        duplicatesDropped: candidates.examples.length - unique.length,
        balancingDropped: unique.length - balanced.length,
        available: balanced.length,
        requested: 0,
        selected: 0,
        shortfall: 0,
        train: 0,
        validation: 0,
        positions: null,
      },
    });
  }

  const selected = new Map<string, PositionedOrPlain[]>();
  for (const id of resolutionOrder(spec)) {
    const { source, pool, counts } = pools.get(id)!;
    const requested = 'all' in source.size ? pool.length
      : 'count' in source.size ? source.size.count
      : Math.round(source.size.ratio * selected.get(source.size.of)!.length);
    if (requested > pool.length && source.shortfall === 'error') {
      throw new MixtureBuildError(id, `asks for ${requested} examples but only ${pool.length} are available (set shortfall to "use_available" to take fewer)`);
    }
    const chosen = createSeededRandom(spec.seed, `select:${id}`).sample(pool, requested);
    selected.set(id, chosen);
    Object.assign(counts, { requested, selected: chosen.length, shortfall: requested - chosen.length });
    if (source.kind === 'in_domain') counts.positions = countPositions(chosen);
  }

  const included = spec.sources.filter((source) => source.include);
  const quotas = apportionValidation(included.map((source) => selected.get(source.id)!.length), spec.split.validationFraction);
  const train: TrainingExample[] = [];
  const validation: TrainingExample[] = [];
  included.forEach((source, index) => {
    const shuffled = createSeededRandom(spec.seed, `split:${source.id}`).shuffle(selected.get(source.id)!);
    const tagged = shuffled.map(({ example }) => ({ ...example, provenance: { ...example.provenance, mixtureSource: source.id } }));
    const quota = quotas[index]!;
    validation.push(...tagged.slice(0, quota));
    train.push(...tagged.slice(quota));
    Object.assign(pools.get(source.id)!.counts, { validation: quota, train: tagged.length - quota });
  });
  assertUniqueIds([...train, ...validation]);

  const orderedTrain = createSeededRandom(spec.seed, 'order:train').shuffle(train);
  const orderedValidation = createSeededRandom(spec.seed, 'order:validation').shuffle(validation);
  return {
    train: orderedTrain,
    validation: orderedValidation,
    counts: {
      train: orderedTrain.length,
      validation: orderedValidation.length,
      total: orderedTrain.length + orderedValidation.length,
      bySource: Object.fromEntries([...pools].map(([id, pool]) => [id, pool.counts])),
    },
    contentHash: contentHash({ version: MIXTURE_FORMAT_VERSION, spec, train: orderedTrain, validation: orderedValidation }),
  };
}

type InDomainSource = Extract<MixtureSource, { kind: 'in_domain' }>;
type SyntheticSource = Exclude<MixtureSource, InDomainSource>;

function inDomainCandidates(source: InDomainSource, spec: MixtureSpec, inputs: MixtureInputs): { trajectories: number; examples: PositionedOrPlain[] } {
  for (const { round } of inputs.inDomain) {
    if (round > inputs.currentRound) throw new MixtureBuildError(source.id, `trajectories of round ${round} are newer than the current round ${inputs.currentRound}`);
  }
  const rounds = inputs.inDomain.filter(({ round }) =>
    source.rounds === 'all' || (source.rounds === 'current' ? round === inputs.currentRound : round < inputs.currentRound));
  const { filters } = source;
  const trajectories = poolNewestPerTask(rounds).filter(({ trajectory }) =>
    (!filters.intentTemplateIds || filters.intentTemplateIds.includes(trajectory.intentTemplateId))
    && !filters.excludeIntentTemplateIds?.includes(trajectory.intentTemplateId)
    && trajectory.steps.length >= (filters.minTrajectorySteps ?? 0)
    && trajectory.steps.length <= (filters.maxTrajectorySteps ?? Number.POSITIVE_INFINITY));
  const examples = trajectories
    .flatMap(({ round, trajectory }) => examplesFromTrajectory(trajectory, { seed: spec.seed, round }))
    .filter(({ position, example }) => spec.steps.positions.includes(position) && example.response.length <= (filters.maxResponseChars ?? Number.POSITIVE_INFINITY));
  return { trajectories: trajectories.length, examples };
}

function syntheticCandidates(source: SyntheticSource, inputs: MixtureInputs): { trajectories: null; examples: PositionedOrPlain[] } {
  const raw = (source.kind === 'ood' ? inputs.ood : inputs.groundedOod) ?? [];
  const ids = new Set<string>();
  const examples = raw.map((value, index) => {
    const parsed = trainingExampleSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new MixtureBuildError(source.id, `${source.kind} example ${index}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    if (ids.has(parsed.data.id)) throw new MixtureBuildError(source.id, `${source.kind} example ${index}: duplicate id "${parsed.data.id}"`);
    ids.add(parsed.data.id);
    return parsed.data;
  });
  const { maxResponseChars, provenance } = source.filters;
  return {
    trajectories: null,
    examples: examples
      .filter((example) => example.response.length <= (maxResponseChars ?? Number.POSITIVE_INFINITY))
      .filter((example) => !provenance || Object.entries(provenance).every(([key, value]) => example.provenance[key] === value))
      .map((example) => ({ position: null, example })),
  };
}

/** Source ids so that every ratio source comes after the source it is sized against (spec order otherwise). */
function resolutionOrder(spec: MixtureSpec): string[] {
  const order: string[] = [];
  const visit = (source: MixtureSource): void => {
    if (order.includes(source.id)) return;
    if ('of' in source.size) {
      const of = source.size.of;
      visit(spec.sources.find((candidate) => candidate.id === of)!);
    }
    order.push(source.id);
  };
  spec.sources.forEach(visit);
  return order;
}

/**
 * Validation examples per source: V = round(total x fraction), at least 1 when the fraction is positive
 * and there are 2+ examples, shared out by largest remainder (ties to the earlier source) so the
 * validation set has the mixture's composition.
 */
export function apportionValidation(sizes: readonly number[], fraction: number): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total === 0 || fraction === 0) return sizes.map(() => 0);
  const target = Math.max(Math.round(total * fraction), total >= 2 ? 1 : 0);
  const exact = sizes.map((size) => (size * target) / total);
  const quotas = exact.map(Math.floor);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((left, right) => right.remainder - left.remainder || left.index - right.index);
  for (let given = quotas.reduce((sum, quota) => sum + quota, 0), next = 0; given < target; given += 1, next += 1) {
    quotas[byRemainder[next]!.index]! += 1;
  }
  return quotas;
}

function countPositions(examples: readonly PositionedOrPlain[]): Record<StepPosition, number> {
  const counts: Record<StepPosition, number> = { first: 0, intermediate: 0, last: 0 };
  for (const { position } of examples) if (position) counts[position] += 1;
  return counts;
}

function assertUniqueIds(examples: readonly TrainingExample[]): void {
  const seen = new Set<string>();
  for (const example of examples) {
    if (seen.has(example.id)) throw new MixtureBuildError(null, `example id "${example.id}" is selected twice (the same example in two sources with de-duplication off?)`);
    seen.add(example.id);
  }
}
