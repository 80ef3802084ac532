import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import { loadWorkflowBundle } from '../../src/workers/workflow-bundle';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'histories');
/** A recorded history (proto JSON) and the id of the workflow it belongs to. */
const fixtureSchema = z.object({ workflowId: z.string().min(1), history: z.object({ events: z.array(z.unknown()).min(1) }) });
const fixtures = readdirSync(FIXTURES).filter((file) => file.endsWith('.json')).sort();

describe('workflow replay', () => {
  it('has a recorded history for every workflow that runs', () => {
    expect(fixtures).toEqual(['evaluation.json', 'improvement-round.json', 'improvement-run.json', 'mixture-branch-evaluated-by-experiment.json', 'mixture-branch.json',
      'mixture-experiment-evaluations-take-turns.json', 'mixture-experiment.json', 'rollout.json']);
  });

  it.each(fixtures)('replays %s against the current workflow code without nondeterminism', async (file) => {
    const fixture = fixtureSchema.parse(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
    const history = historyFromJSON(fixture.history);
    // runReplayHistory rejects with DeterminismViolationError (or the workflow's own failure) on a mismatch.
    await expect(Worker.runReplayHistory({ workflowBundle: await loadWorkflowBundle() }, history, fixture.workflowId)).resolves.toBeUndefined();
  });
});
