/**
 * The figures' numbers over seeds: the mean, a band of exactly ±1 sample sd, every seed's value,
 * controls starting at the dense point, and a round's mean curve over the seeds that evaluated.
 */
import { describe, expect, it } from 'vitest';
import { tinyTrialsRunFile } from '../formats/formats.testing';
import { meanCurve, seedsIn, spreadByRemaining, spreadOf } from './over-trials';

const FILE = tinyTrialsRunFile(3);

describe('numbers over seeds', () => {
  it('a spread is the mean ± the sample sd, and one value has no band', () => {
    expect(spreadOf([1, 2, 3])).toEqual({ mean: 2, lo: 1, hi: 3, values: [1, 2, 3] });
    expect(spreadOf([0.5])).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5, values: [0.5] });
  });

  it('per variant and round, against P_m, with every seed and the dense start', () => {
    const pm = spreadByRemaining(FILE.rounds, (v) => v.earlyStop.testAccuracy);
    const ticket = pm.ticket!;
    expect(ticket.map((p) => p.round)).toEqual(FILE.rounds.map((r) => r.round));
    for (const [i, r] of FILE.rounds.entries()) {
      const s = r.summary.find((x) => x.variant === 'ticket')!.earlyStopTestAccuracy;
      expect(ticket[i]!.mean).toBeCloseTo(s.mean!, 12);
      expect(ticket[i]!.hi - ticket[i]!.mean).toBeCloseTo(s.sd!, 12);
      expect(ticket[i]!.values).toEqual(
        r.trials.map((t) => t.variants.find((v) => v.variant === 'ticket')!.earlyStop.testAccuracy),
      );
      expect(ticket[i]!.remainingPct).toBeCloseTo(100 * r.remaining, 12);
    }
    // A control's line starts at the dense net (round 0): the same point as the ticket's.
    for (const c of ['reinit', 'random'] as const)
      expect(pm[c]![0]).toEqual({ ...ticket[0], dense: true });
    expect(pm.rearrange).toBeUndefined();
    expect(seedsIn(FILE.rounds)).toBe(3);
    expect(seedsIn([])).toBe(0);
  });

  it('a round’s mean curve averages the seeds at each evaluation', () => {
    const round = FILE.rounds[1]!;
    const curve = meanCurve(round, 'ticket');
    const curves = round.trials.map((t) => t.variants.find((v) => v.variant === 'ticket')!.curve);
    expect(curve.map((p) => p.iteration)).toEqual(curves[0]!.map((p) => p.iteration));
    for (const [i, p] of curve.entries()) {
      const values = curves.map((c) => c[i]!.testAccuracy);
      expect(p.testAccuracy).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
      expect(p.lo).toBeLessThanOrEqual(Math.max(...values));
      expect(p.hi).toBeGreaterThanOrEqual(Math.min(...values));
    }
    expect(meanCurve(round, 'rearrange')).toEqual([]);
  });
});
