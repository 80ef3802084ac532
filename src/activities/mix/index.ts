import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Trajectory } from '../../domain/trajectory';
import { buildMixture, MixtureBuildError, mixturePreset, type MixturePresetName, type RoundTrajectories } from '../../mixtures';
import { listKeptEpisodes } from '../../storage/critiques';
import { storeDataset } from '../../storage/datasets';
import { listEpisodes } from '../../storage/episodes';
import { listSyntheticExamples } from '../../storage/synthetic-examples';
import type { ActivityDependencies } from '../dependencies';
import { loadTrajectory } from '../episode-trajectories';
import { loadRunSpecOf } from '../store';

/** Mixing activities (cpu queue). */
export function createMixActivities(deps: ActivityDependencies) {
  return {
    /**
     * Builds the round's training mixture from the spec's preset: kept in-domain trajectories of this and
     * earlier rounds (newest per task) and the OOD examples generated so far; stores it under an id
     * derived from its content hash, so a retried step stores nothing twice. An experiment names the
     * preset (overriding the spec's) and gets one dataset per preset from the same round.
     */
    async buildRoundDataset({ runId, round, preset }: { runId: string; round: number; preset?: MixturePresetName }): Promise<{ datasetId: string; train: number; validation: number; contentHash: string; counts: unknown }> {
      const spec = await loadRunSpecOf(deps, runId);
      const kept = await listKeptEpisodes(deps.db, runId, round);
      const keptIds = new Set(kept.map((entry) => entry.episodeId));
      const byRound = new Map<number, Trajectory[]>();
      for (const episode of await listEpisodes(deps.db, { runId, purpose: 'train' })) {
        if (!keptIds.has(episode.id) || episode.round === null || episode.round > round) continue;
        const trajectories = byRound.get(episode.round) ?? [];
        trajectories.push(await loadTrajectory(deps.db, episode));
        byRound.set(episode.round, trajectories);
        Context.current().heartbeat(episode.id);
      }
      const inDomain: RoundTrajectories[] = [...byRound.entries()].sort(([a], [b]) => a - b).map(([number, trajectories]) => ({ round: number, trajectories }));
      // Grounded runs mix only the examples whose action was executed on the rendered page.
      const oodKind = spec.ood.grounded ? 'grounded_ood' : 'ood';
      const ood = (await listSyntheticExamples(deps.db, runId, { upToRound: round })).filter((row) => row.kind === oodKind)
        .map((row) => ({ id: row.id, messages: row.messages, response: row.response, provenance: { ...row.provenance, source: oodKind, embedding: undefined, calls: undefined } }));
      const mixtureSpec = mixturePreset(preset ?? spec.mixture.preset, { seed: spec.seed + round, validationFraction: spec.mixture.validationFraction, rounds: 'all', shortfall: 'use_available', balance: spec.mixture.balance, oodKind });
      let mixture;
      try {
        mixture = buildMixture(mixtureSpec, { currentRound: round, inDomain, ...(oodKind === 'ood' ? { ood } : { groundedOod: ood }) });
      } catch (error) {
        if (error instanceof MixtureBuildError) throw ApplicationFailure.nonRetryable(`round ${round} of ${runId}: ${error.message}`, 'MixtureBuildError');
        throw error;
      }
      if (mixture.train.length === 0) {
        throw ApplicationFailure.nonRetryable(`round ${round} of ${runId}: the mixture has no training examples (${kept.length} kept trajectories, ${ood.length} OOD examples); nothing to fine-tune on`, 'EmptyMixture');
      }
      const datasetId = `${runId}/round-${round}/${preset ? `mixture-${preset}/` : ''}dataset-${mixture.contentHash.slice(0, 12)}`;
      const sourceOf = (example: { provenance: Record<string, unknown> }) => {
        const source = example.provenance.mixtureSource ?? example.provenance.source;
        return typeof source === 'string' ? source : 'unknown';
      };
      await storeDataset(deps.db, {
        id: datasetId, runId, round, spec: mixtureSpec, contentHash: mixture.contentHash, counts: mixture.counts,
        train: mixture.train.map((example) => ({ messages: example.messages, response: example.response, source: sourceOf(example) })),
        validation: mixture.validation.map((example) => ({ messages: example.messages, response: example.response, source: sourceOf(example) })),
      });
      return { datasetId, train: mixture.train.length, validation: mixture.validation.length, contentHash: mixture.contentHash, counts: mixture.counts };
    },
  };
}

export type MixActivities = ReturnType<typeof createMixActivities>;
