import { describe, expect, it } from 'vitest';
import type { KeptDigit } from '../../digits/kept';
import type { DigitAnswer } from '../../state/types';
import { inkSurvivorsInWords, keptScoreInWords, networksInWords } from './pad-words';

const probs = (d: number) => Float32Array.from({ length: 10 }, (_, i) => (i === d ? 0.9 : 0.1 / 9));
const kept = (id: string, label: number): KeptDigit => ({
  id,
  label,
  keptAt: 0,
  pixels: new Uint8Array(784),
});
const answer = (round: number, dense: number, ticket: number): DigitAnswer => ({
  round,
  trial: 0,
  error: null,
  answers: [
    { network: 'dense', probabilities: probs(dense) },
    { network: 'ticket', probabilities: probs(ticket) },
  ],
});

describe('pad words', () => {
  it('counts the connections the inked pixels keep', () => {
    const pixels = new Uint8Array(784);
    const counts = new Uint16Array(784).fill(10);
    pixels[0] = 255; // keeps 10
    pixels[1] = 200; // keeps none
    counts[1] = 0;
    pixels[2] = 100; // too faint to count
    expect(inkSurvivorsInWords(pixels, counts, 300, 0.21)).toBe(
      'Your digit inks 2 of 784 pixels. The winning ticket at 21.0% of weights keeps 10 of their 600 connections into layer 1 (1.7%; 3.3% over the whole image); 1 inked pixel keeps none.',
    );
  });

  it('scores the kept digits at the round shown only', () => {
    const digits = [kept('a', 1), kept('b', 2), kept('c', 3)];
    const answers = { a: answer(2, 1, 1), b: answer(2, 5, 2), c: answer(1, 3, 3) };
    expect(keptScoreInWords(digits, answers, { round: 2, trial: 0 })).toBe(
      'On your 2 of 3 kept digits at round 2: dense 1/2, winning ticket 2/2',
    );
    expect(keptScoreInWords(digits, answers, { round: 1, trial: 0 })).toBe(
      'On your 1 of 3 kept digits at round 1: dense 1/1, winning ticket 1/1',
    );
    expect(keptScoreInWords([], {}, null)).toMatch(/Keep a few digits/);
    const refused = {
      a: { round: 4, trial: 0, answers: [], error: "round 4's trained weights are not kept" },
    };
    expect(keptScoreInWords(digits, refused, { round: 4, trial: 0 })).toBe(
      "Not scored: round 4's trained weights are not kept.",
    );
  });

  it('names the dense net among the networks only where the run has one', () => {
    expect(networksInWords({ round: 3 }, 0.512, null)).toBe(
      'the dense net and, at the round shown (round 3, 51.2% of weights), the ticket and its controls, as trained',
    );
    const ticket = networksInWords({ round: 3 }, 0.512, 'this run trained an imported ticket');
    expect(ticket).toBe(
      'the ticket and its controls at the round shown (round 3, 51.2% of weights), as trained (no dense net: this run trained an imported ticket)',
    );
    expect(networksInWords(null, 1, null)).toMatch(/^the dense net and, at the round shown, /);
  });
});
