import { describe, expect, it } from 'vitest';
import * as ratchet from '../src/index';

describe('the library entry (src/index.ts)', () => {
  it('exposes the pure parts: task schema, evaluators, action parser, DTW and capability scoring', () => {
    const parsed = ratchet.parseAction('I will click it. In summary, the next action I will perform is ```click [12]```');
    expect(parsed).toMatchObject({ valid: true, text: 'click [12]' });
    expect(ratchet.cleanAnswer("  'Yes' ")).toBe('yes');
    const sequence = ratchet.embeddingSequenceFromRows([[1, 0], [0, 1]]);
    expect(ratchet.computeVertexDtw({ reference: sequence, test: sequence }).path).toEqual([[0, 0], [1, 1]]);
    expect(typeof ratchet.scoreCapabilities).toBe('function');
    expect(ratchet.taskConfigSchema.safeParse({}).success).toBe(false);
  });
});
