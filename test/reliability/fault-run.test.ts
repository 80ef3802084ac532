// The fault run at a size npm test can afford: a one-round run on 3 tasks per split whose every model
// endpoint (agent, generator, judges, embeddings, fine-tuning API) is behind the fault-injecting
// proxy at a 20% fault rate. It must complete with nothing lost, and the retries must be in the
// workflow histories (what the Temporal UI shows).
import { describe, expect, it } from 'vitest';
import { runThroughModelFaults, type FaultRunResult } from '../../reliability/model-fault-run';

describe('a run through a 20% model fault rate', () => {
  let result: FaultRunResult;

  it('completes with every episode and step done', async () => {
    result = await runThroughModelFaults({ tasks: 3, rounds: 1, rate: 0.2, seed: 5, concurrency: 2, maxSteps: 6, oodCount: 2, timeoutMs: 20 * 60_000, log: (line) => process.stderr.write(`fault run: ${line}\n`) });
    expect(result.problem).toBeNull();
    expect(result.finished).toBe(true);
    expect(result.roundsCompleted).toBe(1);
    // trivial + baseline + round-1 train + round-1 evaluation, 3 tasks each.
    expect(result.episodes).toMatchObject({ total: 12, completed: 12, failed: 0 });
    expect(result.stepsNotCompleted).toEqual([]);
    expect(result.itemsLost).toBe(0);
  }, 25 * 60_000);

  it('injected faults and survived them', () => {
    expect(result.proxy.injected).toBeGreaterThan(0);
    expect(result.proxy.forwarded).toBeGreaterThan(result.proxy.injected);
    expect(result.faultsSurvived).toBe(result.proxy.injected);
  });

  it('records the retries in the workflow histories with the classified failure', () => {
    const retried = result.histories.activities.filter((figures) => figures.retries > 0);
    expect(retried.length).toBeGreaterThan(0);
    const modelFailures = Object.entries(result.histories.lastFailureTypes)
      .filter(([type]) => /^(HTTP(429|500|503)|ModelTimeout|ModelConnectionError|UnreadableModelResponse)$/.test(type));
    expect(modelFailures.length).toBeGreaterThan(0);
    expect(result.histories.example?.attempt).toBeGreaterThan(1);
    expect(result.histories.example?.lastFailure).toMatch(/HTTP (429|500|503)|no answer in time|connection failed|unreadable answer/);
  });
});
