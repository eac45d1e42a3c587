/**
 * Figures 1 and 7 caption what their curves show: a sparse ticket that learns more slowly is
 * never captioned "sooner", and one seed's difference is always called possible noise.
 */
import { describe, expect, it } from 'vitest';
import {
  accuracyCaption,
  firstReaching,
  lossCaption,
  lowestLossAt,
  type TicketCurve,
} from './captions';

/** A ticket climbing linearly from `start` to `peak` over `steps` evaluations 10 apart. */
function ticket(
  round: number,
  remaining: number,
  start: number,
  peak: number,
  steps = 10,
): TicketCurve {
  return {
    round,
    remaining,
    finished: true,
    points: Array.from({ length: steps + 1 }, (_, i) => ({
      iteration: 10 * i,
      testAccuracy: start + ((peak - start) * i) / steps,
    })),
  };
}

describe('Figure 1: how soon the sparsest ticket learns', () => {
  it('says "sooner" only when the sparse ticket reaches the level first', () => {
    const dense = ticket(0, 1, 0.1, 0.95);
    // Level: the lower peak, 95%. Dense reaches it at 100, and so does 0.5 + 0.049 i.
    expect(firstReaching(dense.points, 0.95)).toBe(100);
    const faster = ticket(2, 0.64, 0.5, 0.99);
    expect(accuracyCaption([dense, ticket(1, 0.8, 0.2, 0.9), faster], 1)).toBe(
      'The ticket at 64.0% of weights (round 2) and the dense net both first reach 95% test accuracy at iteration 100. One seed: a difference may be seed noise.',
    );
    const quick = ticket(2, 0.64, 0.9, 0.96, 2);
    expect(accuracyCaption([dense, quick], 1)).toContain(
      'first reaches 95% test accuracy at iteration 20, the dense net at 100: the sparse ticket gets there sooner than the dense net.',
    );
  });

  it('says "later" where the sparse ticket is slower, and never "sooner" or "faster"', () => {
    const dense = ticket(0, 1, 0.1, 0.95, 4);
    const slow = ticket(3, 0.51, 0.1, 0.96, 10);
    const text = accuracyCaption([dense, slow], 3);
    expect(text).toBe(
      'The ticket at 51.0% of weights (round 3) first reaches 95% test accuracy at iteration 100, the dense net at 40: the sparse ticket gets there later than the dense net. Trial 0 of 3 seeds: a difference may be seed noise.',
    );
    expect(text).not.toMatch(/sooner|faster/);
  });

  it('says when the masks alone reach the level before any training', () => {
    const dense = ticket(0, 1, 0.1, 0.9);
    const masks = ticket(2, 0.3, 0.91, 0.93);
    expect(accuracyCaption([dense, masks], 1)).toContain('at iteration 0, before any training');
  });

  it('compares nothing until a pruned round has finished', () => {
    const dense = ticket(0, 1, 0.1, 0.95);
    const running = { ...ticket(1, 0.8, 0.5, 0.99), finished: false };
    for (const t of [[], [dense], [dense, running]])
      expect(accuracyCaption(t, 1)).not.toMatch(/sooner|later|same/);
  });
});

const loss = (label: string, lows: number[]) => ({
  label,
  points: lows.map((validationLoss, i) => ({ iteration: 100 * i, validationLoss })),
});

describe('Figure 7: where each validation loss bottoms out', () => {
  it('names every variant’s early stop and compares the ticket with each control', () => {
    expect(lowestLossAt(loss('x', [3, 1, 1, 2]).points)).toBe(100);
    expect(
      lossCaption(
        { round: 4, remaining: 0.41, finished: true },
        [
          loss('winning ticket', [3, 1, 0.5, 0.6]),
          loss('random reinit', [3, 2, 1, 0.9]),
          loss('rearranged connections', [3, 1, 0.5, 0.5]),
        ],
        1,
      ),
    ).toBe(
      'Validation loss bottoms out (the early stop) in round 4, 41.0% of weights at iteration: winning ticket 200, random reinit 300, rearranged connections 200. The ticket gets there sooner than random reinit, at the same iteration as rearranged connections. One seed: a difference may be seed noise.',
    );
  });

  it('says "later" where the ticket bottoms out after a control, and "so far" mid-round', () => {
    const text = lossCaption(
      { round: 1, remaining: 0.8, finished: false },
      [loss('winning ticket', [3, 2, 1]), loss('random reinit', [3, 1, 2])],
      1,
    );
    expect(text).toContain(
      'in round 1, 80.0% of weights so far at iteration: winning ticket 200, random reinit 100.',
    );
    expect(text).toContain('The ticket gets there later than random reinit.');
    expect(text).not.toContain('sooner');
  });

  it('compares nothing in the dense round, which has no controls', () => {
    expect(
      lossCaption(
        { round: 0, remaining: 1, finished: true },
        [loss('winning ticket', [2, 1, 1.5])],
        1,
      ),
    ).toBe(
      'Validation loss bottoms out (the early stop) in the dense net at iteration: winning ticket 100.',
    );
    expect(lossCaption(null, [], 1)).toBe(
      'Validation loss bottoms out at the early-stop iteration.',
    );
  });
});
