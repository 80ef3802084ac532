import type { Client, WorkflowHandle } from '@temporalio/client';
import type { RunSpec } from '../config/run-spec';
import type { Queryable } from '../storage/database';
import { insertExperiment } from '../storage/experiments';
import { SEARCH_ATTRIBUTES, TASK_QUEUES } from '../workflows/definitions';
import { EXPERIMENT_MIXTURES, type ExperimentMixture } from '../workflows/experiment-definitions';
import type { mixtureExperiment } from '../workflows/mixture-experiment';
import { newRunId, storeRun } from './launch-run';

/** A bad `--mixtures` value; the message names the flag and the value. */
export class MixtureListError extends Error {
  override readonly name = 'MixtureListError';
  constructor(readonly value: string, reason: string) {
    super(`--mixtures '${value}': ${reason}; give a comma-separated list of ${EXPERIMENT_MIXTURES.join(', ')}, e.g. --mixtures A,B,C`);
  }
}

/** Parses `A,B,C` into mixtures (each once, in the order given). */
export function parseMixtureList(value: string): ExperimentMixture[] {
  const parts = value.split(',').map((part) => part.trim());
  if (value.trim() === '' || parts.some((part) => part === '')) throw new MixtureListError(value, 'empty entry');
  const mixtures: ExperimentMixture[] = [];
  for (const part of parts) {
    const mixture = EXPERIMENT_MIXTURES.find((name) => name === part.toUpperCase());
    if (!mixture) throw new MixtureListError(value, `'${part}' is not a mixture`);
    if (mixtures.includes(mixture)) throw new MixtureListError(value, `'${part}' is listed twice`);
    mixtures.push(mixture);
  }
  return mixtures;
}

/** An experiment id from the spec name and the current time, e.g. `qwen-experiment-20261124-041503`. */
export function newExperimentId(spec: RunSpec, now = new Date()): string {
  return newRunId(spec.name.endsWith('experiment') ? spec : { ...spec, name: `${spec.name}-experiment` }, now);
}

/**
 * Stores the experiment's run (spec, claim check) and its mixtures, and starts the mixtureExperiment
 * workflow with the run id as its workflow id. Starting the same id twice attaches to the workflow.
 */
export async function launchExperiment(input: { client: Client; db: Queryable; spec: RunSpec; runId: string; mixtures: ExperimentMixture[] }): Promise<WorkflowHandle<typeof mixtureExperiment>> {
  await storeRun(input.db, input.spec, input.runId);
  await insertExperiment(input.db, { runId: input.runId, mixtures: input.mixtures });
  try {
    return await input.client.workflow.start<typeof mixtureExperiment>('mixtureExperiment', {
      workflowId: input.runId,
      taskQueue: TASK_QUEUES.orchestration,
      args: [{ runId: input.runId, mixtures: input.mixtures }],
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.runId, value: input.runId }],
      memo: { spec: input.spec.name, experiment: input.mixtures.join(','), status: 'starting' },
    });
  } catch (error) {
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return input.client.workflow.getHandle(input.runId);
    throw error;
  }
}
