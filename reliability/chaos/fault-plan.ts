// Which faults the chaos run injects and when: a seeded plan, so a chaos run can be repeated.
import { createSeededUniform } from '../../src/domain/seeded-uniform';
import type { TaskQueueKind } from '../../src/workflows/definitions';

export type FaultKind = 'worker-sigkill' | 'temporal-restart' | 'postgres-restart';

export interface PlannedFault {
  kind: FaultKind;
  /** The worker process killed (worker-sigkill only). */
  queue?: TaskQueueKind;
  /** When to inject it, in ms after the run started (later if the previous fault is still recovering). */
  atMs: number;
}

export interface FaultPlanOptions {
  workerKills: number;
  temporalRestarts: number;
  postgresRestarts: number;
  /** Queues whose worker processes may be killed (one chosen uniformly per kill). */
  queues: readonly TaskQueueKind[];
  /** How long the undisturbed run took: faults are spread over its first `spreadFraction`. */
  expectedRunMs: number;
  seed: number;
  /** Faults fall in [startFraction, spreadFraction] of the expected run time (defaults 0.03 and 0.75). */
  startFraction?: number;
  spreadFraction?: number;
}

/** A seeded plan: fault kinds in random order at uniformly random moments, sorted by time. */
export function planFaults(options: FaultPlanOptions): PlannedFault[] {
  for (const [name, value] of Object.entries({ workerKills: options.workerKills, temporalRestarts: options.temporalRestarts, postgresRestarts: options.postgresRestarts })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`fault plan: ${name} must be a non-negative integer (got ${value})`);
  }
  if (options.workerKills > 0 && options.queues.length === 0) throw new RangeError('fault plan: worker kills need at least one queue to choose from');
  if (!(options.expectedRunMs > 0)) throw new RangeError(`fault plan: expectedRunMs must be positive (got ${options.expectedRunMs})`);
  const start = options.startFraction ?? 0.03;
  const end = options.spreadFraction ?? 0.75;
  if (!(start >= 0 && start < end && end <= 1)) throw new RangeError(`fault plan: need 0 <= startFraction < spreadFraction <= 1 (got ${start}, ${end})`);

  const uniform = createSeededUniform(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(uniform() * items.length)]!;
  const kinds: Array<Omit<PlannedFault, 'atMs'>> = [
    ...Array.from({ length: options.workerKills }, () => ({ kind: 'worker-sigkill' as const, queue: pick(options.queues) })),
    ...Array.from({ length: options.temporalRestarts }, () => ({ kind: 'temporal-restart' as const })),
    ...Array.from({ length: options.postgresRestarts }, () => ({ kind: 'postgres-restart' as const })),
  ];
  // Fisher-Yates with the same stream, so the order of kinds is random too.
  for (let index = kinds.length - 1; index > 0; index -= 1) {
    const other = Math.floor(uniform() * (index + 1));
    [kinds[index], kinds[other]] = [kinds[other]!, kinds[index]!];
  }
  const times = kinds.map(() => Math.round(options.expectedRunMs * (start + (end - start) * uniform()))).sort((a, b) => a - b);
  return kinds.map((fault, index) => ({ ...fault, atMs: times[index]! }));
}

/** Counts per fault kind. */
export function countByKind(faults: ReadonlyArray<{ kind: FaultKind }>): Record<FaultKind, number> {
  const counts: Record<FaultKind, number> = { 'worker-sigkill': 0, 'temporal-restart': 0, 'postgres-restart': 0 };
  for (const fault of faults) counts[fault.kind] += 1;
  return counts;
}
