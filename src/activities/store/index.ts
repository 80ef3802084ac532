import { ApplicationFailure } from '@temporalio/activity';
import type { RunSpec } from '../../config/run-spec';
import { parseRunSpec } from '../../config/run-spec';
import { finishRun, getRun, recordStepState, upsertRound } from '../../storage/runs';
import { findChampion, setChampion } from '../../storage/models';
import { listTasks } from '../../storage/tasks';
import { createEvaluationRow } from '../../storage/evaluations';
import type { EvaluationInput, RunPlan, TaskSites } from '../../workflows/definitions';
import type { ActivityDependencies } from '../dependencies';
import { importSuite } from './import-suite';
import { registerBaseModels } from './register-models';
import { seededSample } from './seeded-sample';

/** The run's validated spec, read back from PostgreSQL (the claim check). */
export async function loadRunSpecOf(deps: ActivityDependencies, runId: string): Promise<RunSpec> {
  const run = await getRun(deps.db, runId);
  if (!run) throw ApplicationFailure.nonRetryable(`run ${runId} is not in the database`, 'UnknownRun');
  return parseRunSpec(run.spec, `run ${runId} (stored spec)`);
}

/** Task ids and each task's sites, for the rollout's site scheduling. */
function describeTasks(tasks: Array<{ taskId: number; sites: string[]; writes: boolean }>): { taskIds: number[]; taskSites: Record<string, TaskSites> } {
  const taskSites: Record<string, TaskSites> = {};
  for (const task of tasks) taskSites[String(task.taskId)] = { sites: task.sites, writes: task.writes };
  return { taskIds: tasks.map((task) => task.taskId), taskSites };
}

/** Bookkeeping activities (cpu queue): runs, rounds, step states, task pools, evaluations. */
export function createStoreActivities(deps: ActivityDependencies) {
  return {
    /** Imports the suite, registers the base and trivial models, and returns the plan workflows follow. */
    async prepareRun({ runId }: { runId: string }): Promise<RunPlan> {
      const spec = await loadRunSpecOf(deps, runId);
      const suite = await importSuite(deps, spec);
      const models = await registerBaseModels(deps, spec);
      return {
        runId,
        rounds: spec.rounds,
        suiteId: suite.suiteId,
        baseModelId: models.baseModelId,
        trivialModelId: models.trivialModelId,
        finetuneFrom: spec.finetune.from,
        rollout: { samplesPerTask: spec.rollout.samplesPerTask, concurrency: spec.rollout.concurrency, failureBudget: spec.rollout.failureBudget },
        gate: { stopWhenGainBelow: spec.gate.stopWhenGainBelow },
        fineTunePollIntervalMs: spec.finetune.provider.provider === 'openai' ? spec.finetune.provider.pollIntervalMs : 2_000,
      };
    },

    /** Upserts one step's state for `ratchet status` and the report. */
    async recordStepState(state: { workflowId: string; step: string; runId: string; round: number; status: string; attempts: number; error?: string; summary?: unknown }): Promise<void> {
      await recordStepState(deps.db, state);
    },

    /** Records the start of a round with its lineage (config hash, seed, parent round). */
    async startRound({ runId, round, inputModelId }: { runId: string; round: number; inputModelId: string }): Promise<void> {
      const run = await getRun(deps.db, runId);
      if (!run) throw ApplicationFailure.nonRetryable(`run ${runId} is not in the database`, 'UnknownRun');
      const spec = parseRunSpec(run.spec, `run ${runId}`);
      await upsertRound(deps.db, { runId, number: round, inputModelId, configHash: run.spec_hash, seed: spec.seed + round, gitRevision: run.git_revision });
    },

    /** The round's in-domain task pool: the train split, or the eval split in transductive mode. */
    async selectTaskPool({ runId, round }: { runId: string; round: number }): Promise<{ suiteId: string; taskIds: number[]; taskSites: Record<string, TaskSites> }> {
      const spec = await loadRunSpecOf(deps, runId);
      const suite = await importSuite(deps, spec);
      const tasks = await listTasks(deps.db, suite.suiteId, spec.suite.transductive ? 'eval' : 'train');
      // Keyed by the spec's seed, not the run id: the same spec gives the same pool in every run.
      const chosen = spec.suite.taskLimit ? seededSample(tasks, spec.suite.taskLimit, `pool/seed-${spec.seed}/round-${round}`) : tasks;
      return { suiteId: suite.suiteId, ...describeTasks(chosen) };
    },

    /** Registers an evaluation and returns the tasks it covers. */
    async createEvaluation(input: EvaluationInput): Promise<{ taskIds: number[]; taskSites: Record<string, TaskSites> }> {
      await createEvaluationRow(deps.db, input);
      const tasks = await listTasks(deps.db, input.suiteId, input.split === 'all' ? undefined : input.split);
      const spec = input.runId ? await loadRunSpecOf(deps, input.runId) : undefined;
      const limit = input.taskLimit ?? spec?.suite.taskLimit;
      // The same limit and seed give every model of a run, and every run of the same spec, the same evaluation tasks.
      const chosen = limit ? seededSample(tasks, limit, `${input.suiteId}/eval/${spec ? `seed-${spec.seed}` : 'frozen'}`) : tasks;
      return describeTasks(chosen);
    },

    /** Records how the run ended and who is champion. */
    async finishRun(update: { runId: string; status: 'completed' | 'aborted'; championModelId: string; stopReason: string }): Promise<void> {
      await finishRun(deps.db, update);
      await setChampion(deps.db, update.runId, update.championModelId);
    },

    /** The nightly schedule's target: the current champion and the frozen suite. */
    async prepareNightlyEvaluation({ suitePath, runId }: { suitePath: string; runId?: string }): Promise<{ modelId: string; suiteId: string }> {
      const champion = await findChampion(deps.db, runId);
      if (!champion) {
        throw ApplicationFailure.nonRetryable(runId ? `run ${runId} has no champion yet` : 'no completed run has a champion yet; finish a run first', 'NoChampion');
      }
      const { suiteId } = await importSuite(deps, { suite: { path: suitePath, transductive: false } });
      return { modelId: champion.id, suiteId };
    },
  };
}

/** The type workflows proxy (`import type`). */
export type StoreActivities = ReturnType<typeof createStoreActivities>;
