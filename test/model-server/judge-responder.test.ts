import { describe, expect, it } from 'vitest';
import { answerFuzzyMatch } from '../../src/model-server/responders/judge-responder';

const verdict = (reference: string, answer: string) =>
  answerFuzzyMatch(`Question: q\nReference answer: ${reference}\nStudent answer: ${answer}`).split('\n').pop();

describe('the local fuzzy-match judge', () => {
  it('does not find a short reference inside a longer word ("no" is not in "not")', () => {
    expect(verdict('No', 'I could not find it')).toBe('incorrect');
  });

  it('accepts the reference as whole words within a longer answer', () => {
    expect(verdict('No', 'no, it is out of stock.')).toBe('correct');
    expect(verdict('$12.50', 'It costs $12.50')).toBe('correct');
  });
});
