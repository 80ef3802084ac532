import { describe, expect, it } from 'vitest';
import { summarizeTrajectories, type EpisodeStatisticsInput } from '../../src/metrics/trajectory-statistics';

const valid = { valid: true, invalidKind: null };
const unparsable = { valid: false, invalidKind: 'unparsable' as const };
const missing = { valid: false, invalidKind: 'missing_element' as const };

const episodes: EpisodeStatisticsInput[] = [
  { round: 0, length: 2, earlyStopReason: null, promptTokens: 100, completionTokens: 10, steps: [valid, valid] },
  { round: 0, length: 3, earlyStopReason: 'parse_failures', promptTokens: 300, completionTokens: 30, steps: [unparsable, unparsable, unparsable] },
  { round: 1, length: 4, earlyStopReason: 'repeated_actions', promptTokens: 200, completionTokens: 20, steps: [valid, missing, valid, valid, valid] },
];

describe('summarizeTrajectories', () => {
  it('averages length and counts both kinds of invalid action per step', () => {
    const stats = summarizeTrajectories(episodes);
    expect(stats.averageLength).toBe(3);
    expect(stats.steps).toBe(10);
    expect(stats.invalidActions).toEqual({
      unparsable: 3,
      missingElement: 1,
      total: 4,
      unparsableRate: 0.3,
      missingElementRate: 0.1,
      rate: 0.4,
    });
  });

  it('counts early-stop reasons, with natural stops under none', () => {
    expect(summarizeTrajectories(episodes).earlyStops).toEqual({
      none: 1,
      max_steps: 0,
      parse_failures: 1,
      repeated_actions: 1,
      repeated_typing: 0,
    });
  });

  it('reports tokens per episode and per round', () => {
    const stats = summarizeTrajectories(episodes);
    expect(stats.tokens).toMatchObject({
      promptTokens: 600,
      completionTokens: 60,
      totalTokens: 660,
      perEpisode: 220,
      promptPerEpisode: 200,
      completionPerEpisode: 20,
    });
    expect(stats.tokens.byRound).toEqual([
      { round: 0, episodes: 2, promptTokens: 400, completionTokens: 40, totalTokens: 440 },
      { round: 1, episodes: 1, promptTokens: 200, completionTokens: 20, totalTokens: 220 },
    ]);
  });

  it('returns nulls for no episodes', () => {
    const stats = summarizeTrajectories([]);
    expect([stats.averageLength, stats.invalidActions.rate, stats.tokens.perEpisode]).toEqual([null, null, null]);
  });

  it('rejects a step marked valid that carries an invalid kind', () => {
    const contradictory = [{ ...episodes[0]!, steps: [{ valid: true, invalidKind: 'unparsable' as const }] }];
    expect(() => summarizeTrajectories(contradictory)).toThrow(/episode 0 has a step whose valid flag contradicts/);
  });
});
