import { z } from 'zod';
import { earlyStopReasonSchema, invalidActionKindSchema, type EarlyStopReason } from '../domain/trajectory';

/** What trajectory statistics need from one episode (a subset of EpisodeOutcome and StepRecord). */
export const episodeStatisticsInputSchema = z.strictObject({
  round: z.number().int().nonnegative(),
  /** Actions until stop or early stop. */
  length: z.number().int().nonnegative(),
  earlyStopReason: earlyStopReasonSchema.nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  steps: z.array(z.strictObject({ valid: z.boolean(), invalidKind: invalidActionKindSchema.nullable() })),
});
export type EpisodeStatisticsInput = z.infer<typeof episodeStatisticsInputSchema>;

/** Token use of one round. */
export interface RoundTokens {
  round: number;
  episodes: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Length, validity, early stops and token use over a set of episodes. */
export interface TrajectoryStatistics {
  episodes: number;
  steps: number;
  averageLength: number | null;
  invalidActions: {
    unparsable: number;
    missingElement: number;
    total: number;
    /** Per step (model output); null when there are no steps. */
    unparsableRate: number | null;
    missingElementRate: number | null;
    rate: number | null;
  };
  /** Episodes per early-stop reason; `none` counts episodes that stopped by themselves. */
  earlyStops: Record<EarlyStopReason | 'none', number>;
  tokens: {
    promptTokens: number;
    completionTokens: number;
    totalTokens: number;
    /** Mean total (prompt + completion) tokens per episode; null when there are no episodes. */
    perEpisode: number | null;
    promptPerEpisode: number | null;
    completionPerEpisode: number | null;
    byRound: RoundTokens[];
  };
}

/** Average trajectory length, invalid-action rates (both kinds), early-stop counts and tokens. */
export function summarizeTrajectories(episodes: readonly EpisodeStatisticsInput[]): TrajectoryStatistics {
  const earlyStops: Record<EarlyStopReason | 'none', number> = {
    none: 0,
    max_steps: 0,
    parse_failures: 0,
    repeated_actions: 0,
    repeated_typing: 0,
  };
  let steps = 0;
  let unparsable = 0;
  let missingElement = 0;
  let length = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  const byRound = new Map<number, RoundTokens>();
  episodes.forEach((episode, index) => {
    for (const step of episode.steps) {
      if (step.valid !== (step.invalidKind === null)) {
        throw new RangeError(`summarizeTrajectories: episode ${index} has a step whose valid flag contradicts its invalidKind`);
      }
      if (step.invalidKind === 'unparsable') unparsable += 1;
      if (step.invalidKind === 'missing_element') missingElement += 1;
    }
    steps += episode.steps.length;
    length += episode.length;
    earlyStops[episode.earlyStopReason ?? 'none'] += 1;
    promptTokens += episode.promptTokens;
    completionTokens += episode.completionTokens;
    const round = byRound.get(episode.round) ?? { round: episode.round, episodes: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    round.episodes += 1;
    round.promptTokens += episode.promptTokens;
    round.completionTokens += episode.completionTokens;
    round.totalTokens += episode.promptTokens + episode.completionTokens;
    byRound.set(episode.round, round);
  });
  const perStep = (count: number): number | null => (steps === 0 ? null : count / steps);
  const count = episodes.length;
  const perEpisode = (total: number): number | null => (count === 0 ? null : total / count);
  return {
    episodes: count,
    steps,
    averageLength: count === 0 ? null : length / count,
    invalidActions: {
      unparsable,
      missingElement,
      total: unparsable + missingElement,
      unparsableRate: perStep(unparsable),
      missingElementRate: perStep(missingElement),
      rate: perStep(unparsable + missingElement),
    },
    earlyStops,
    tokens: {
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      perEpisode: perEpisode(promptTokens + completionTokens),
      promptPerEpisode: perEpisode(promptTokens),
      completionPerEpisode: perEpisode(completionTokens),
      byRound: [...byRound.values()].sort((a, b) => a.round - b.round),
    },
  };
}
