import { describe, expect, it } from 'vitest';
import { measureFilterQuality } from '../../src/critique';

describe('measureFilterQuality', () => {
  it('matches a hand-computed confusion matrix', () => {
    // TP = 3, FP = 2, FN = 1, TN = 4, plus 2 unscored.
    const decisions = [
      ...Array.from({ length: 3 }, () => ({ kept: true, score: 1 })),
      { kept: true, score: 0 }, { kept: true, score: 0.5 },
      { kept: false, score: 1 },
      ...Array.from({ length: 4 }, () => ({ kept: false, score: 0 })),
      { kept: true, score: null }, { kept: false, score: null },
    ];
    const quality = measureFilterQuality(decisions);
    expect(quality).toMatchObject({
      truePositives: 3, falsePositives: 2, falseNegatives: 1, trueNegatives: 4,
      keptCount: 5, positiveCount: 4, total: 10, unscoredCount: 2,
    });
    expect(quality.precision).toBeCloseTo(3 / 5, 12);
    expect(quality.recall).toBeCloseTo(3 / 4, 12);
    expect(quality.f1).toBeCloseTo((2 * 0.6 * 0.75) / (0.6 + 0.75), 12);
  });

  it('gives null precision and F1 when nothing was kept', () => {
    const quality = measureFilterQuality([{ kept: false, score: 1 }, { kept: false, score: 0 }]);
    expect(quality).toMatchObject({ precision: null, recall: 0, f1: null, keptCount: 0, positiveCount: 1 });
  });

  it('gives null recall and F1 when no trajectory succeeded', () => {
    const quality = measureFilterQuality([{ kept: true, score: 0 }, { kept: false, score: 0 }]);
    expect(quality).toMatchObject({ precision: 0, recall: null, f1: null });
  });

  it('gives F1 of 0 when precision and recall are both 0', () => {
    const quality = measureFilterQuality([{ kept: true, score: 0 }, { kept: false, score: 1 }]);
    expect(quality).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('gives all nulls and zero counts for no scored decisions', () => {
    expect(measureFilterQuality([{ kept: true, score: null }])).toMatchObject({ precision: null, recall: null, f1: null, total: 0, unscoredCount: 1 });
  });

  it('rejects a score outside [0, 1] naming the score', () => {
    expect(() => measureFilterQuality([{ kept: true, score: 2 }])).toThrow(/score 2 is not in \[0, 1\]/);
  });
});
