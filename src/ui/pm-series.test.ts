/**
 * The figures against P_m over seeds: a control's line starts at the dense net without claiming
 * its seeds there, and a caption says what the lines show at the sparsest round, never more.
 */
import { describe, expect, it } from 'vitest';
import { tinyTrialsRunFile } from '../formats/formats.testing';
import { pmCaption, seedsKey, seedsSeries } from './pm-series';

const FILE = tinyTrialsRunFile(3);

describe('series and captions against P_m', () => {
  it('draws every seed where a variant trained, and the band there', () => {
    const series = seedsSeries(FILE.rounds, (v) => v.earlyStop.testAccuracy);
    const ticket = series.find((s) => s.key === 'ticket')!;
    const reinit = series.find((s) => s.key === 'reinit')!;
    expect(ticket.points).toHaveLength(FILE.rounds.length);
    expect(ticket.scatter).toHaveLength(3 * FILE.rounds.length);
    // reinit's line starts at the dense net (the ticket's round 0), its seeds and band after it.
    expect(reinit.points[0]).toEqual(ticket.points[0]);
    expect(reinit.scatter).toHaveLength(3 * (FILE.rounds.length - 1));
    expect(reinit.band).toHaveLength(FILE.rounds.length - 1);
    expect(seedsKey(3)).toBe('line: mean of 3 seeds · band: ±1 sd · dots: each seed');
  });

  it('captions the sparsest round shown beside the dense net, and what the numbers are', () => {
    const series = seedsSeries(FILE.rounds, (v) => v.earlyStop.testAccuracy);
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    const last = FILE.rounds.at(-1)!;
    const mean = (variant: string, r = last) =>
      r.summary.find((s) => s.variant === variant)!.earlyStopTestAccuracy.mean!;
    expect(pmCaption(series, pct, 3)).toBe(
      `At ${(100 * last.remaining).toFixed(1)}% of weights: winning ticket ${pct(mean('ticket'))}, random reinit ${pct(mean('reinit'))}, random pruning ${pct(mean('random'))}; the dense net (100%) ${pct(mean('ticket', FILE.rounds[0]))}. Means of 3 seeds.`,
    );
    const dense = seedsSeries(FILE.rounds.slice(0, 1), (v) => v.earlyStop.testAccuracy);
    expect(pmCaption(dense, pct, 1)).toBe(
      `The dense net (100%): ${pct(mean('ticket', FILE.rounds[0]))}. One seed: differences may be seed noise.`,
    );
    expect(pmCaption([], pct, 1)).toBe('Each completed round adds a point.');
  });
});
