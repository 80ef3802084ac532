// A workflow for test/reliability/fault-injecting-proxy.test.ts: runs the production OOD-synthesis
// activity with the production activity options, so retries are Temporal's as in a real round.
import { llm } from '../../src/workflows/activity-options';

/** One generate-step call of the llm queue's activity, nothing else. */
export async function oodSynthesisStep(input: { runId: string; round: number; modelId: string }): Promise<{ created: number }> {
  const result = await llm.generateOodExamples(input);
  return { created: result.created };
}
