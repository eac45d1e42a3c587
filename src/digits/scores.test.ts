import { describe, expect, it } from 'vitest';
import { scoreKept, scoresInWords, topDigit, topInWords } from './scores';

const onehot = (d: number, p = 0.91) =>
  Float32Array.from({ length: 10 }, (_, i) => (i === d ? p : (1 - p) / 9));

describe('scores', () => {
  it('names the top digit in words with its probability', () => {
    expect(topDigit(onehot(7))).toEqual({ digit: 7, p: expect.closeTo(0.91, 5) });
    expect(topInWords(onehot(7))).toBe('seven (7), 91.0%');
    expect(topInWords(onehot(0, 0.996))).toBe('zero (0), 99.6%');
  });

  it('counts each network right where its top digit is the label', () => {
    const digits = [
      { id: 'a', label: 7 },
      { id: 'b', label: 1 },
      { id: 'c', label: 3 },
      { id: 'd', label: 9 }, // not answered yet: in no total
    ];
    const answers = {
      a: [
        { network: 'dense', probabilities: onehot(7) },
        { network: 'ticket', probabilities: onehot(7) },
        { network: 'reinit', probabilities: onehot(2) },
      ],
      b: [
        { network: 'dense', probabilities: onehot(7) },
        { network: 'ticket', probabilities: onehot(1) },
        { network: 'reinit', probabilities: onehot(1) },
      ],
      c: [
        { network: 'dense', probabilities: onehot(3) },
        { network: 'ticket', probabilities: onehot(3) },
        { network: 'reinit', probabilities: onehot(8) },
      ],
    };
    const s = scoreKept(digits, answers);
    expect(s).toEqual([
      { network: 'dense', correct: 2, total: 3 },
      { network: 'ticket', correct: 3, total: 3 },
      { network: 'reinit', correct: 1, total: 3 },
    ]);
    expect(scoresInWords(s)).toBe('dense 2/3, ticket 3/3, reinit 1/3');
    expect(scoreKept(digits, {})).toEqual([]);
  });
});
