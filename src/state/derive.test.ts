import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import type { VariantSummary } from '../worker/protocol';
import { byRemaining, decimate, etaSeconds, replaySecondsLeft, roundFraction } from './derive';
import type { RoundView } from './types';

const summary = (
  variant: VariantSummary['variant'],
  remaining: number,
  es: number,
  acc: number,
): VariantSummary => ({
  variant,
  remaining,
  remainingByLayer: [remaining],
  earlyStop: { iteration: es, validationAccuracy: acc, testAccuracy: acc },
  finalTestAccuracy: acc,
});

function round(
  r: number,
  remaining: number,
  variants: VariantSummary[] | null,
  names = variants?.map((v) => v.variant) ?? ['ticket'],
): RoundView {
  return {
    round: r,
    variants: names as RoundView['variants'],
    remaining,
    remainingByLayer: [remaining],
    curves: {},
    histograms: null,
    summary: variants
      ? {
          round: r,
          remaining,
          remainingByLayer: [remaining],
          wallMs: 1,
          examplesPerSecond: 1,
          variants,
        }
      : null,
  };
}

describe('decimate', () => {
  it('keeps short series as they are (same array) and caps long ones, first and last kept', () => {
    const short = [1, 2, 3];
    expect(decimate(short, 10)).toBe(short);
    const long = Array.from({ length: 501 }, (_, i) => i);
    const d = decimate(long, 100);
    expect(d.length).toBeLessThanOrEqual(100);
    expect(d[0]).toBe(0);
    expect(d[d.length - 1]).toBe(500);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    // Cached by source array: the same curve gives the same decimated array (memoised lines skip
    // work).
    expect(decimate(long, 100)).toBe(d);
    expect(decimate([...long], 100)).not.toBe(d);
  });
});

describe('byRemaining', () => {
  it('lines up every variant against P_m, controls starting from the dense point, incomplete rounds left out', () => {
    const rounds = [
      round(0, 1, [summary('ticket', 1, 2900, 0.972)]),
      round(1, 0.8, [summary('ticket', 0.8, 2800, 0.979), summary('reinit', 0.8, 2900, 0.975)]),
      round(2, 0.64, null, ['ticket', 'reinit']),
    ];
    const pm = byRemaining(rounds.map((r) => r.summary));
    expect(pm.ticket!.map((p) => p.remainingPct)).toEqual([100, 80]);
    expect(pm.reinit!.map((p) => [p.remainingPct, p.earlyStop.testAccuracy])).toEqual([
      [100, 0.972],
      [80, 0.975],
    ]);
    expect(pm.rearrange).toBeUndefined();
  });
});

describe('etaSeconds and the round in flight', () => {
  const c = mergeConfig(DEFAULT_CONFIG, {
    training: { iterations: 100, batchSize: 10 },
    pruning: { rounds: 2, controls: ['reinit'] },
  });
  const at = (iteration: number, examplesPerSecond: number, more = {}) => ({
    round: 1,
    iteration,
    iterations: 100,
    examplesPerSecond,
    ...more,
  });

  it('counts the rest of this round and the rounds to come at the current speed', () => {
    // Round 1 of 2, halfway, 2 variants at 200 examples/s: 50 × 10 × 2 / 200 = 5 s, then round 2:
    // 100 × 10 × 2 / 200 = 10 s.
    expect(etaSeconds(c, at(50, 200))).toBeCloseTo(15);
    expect(etaSeconds(c, at(50, 0))).toBeNull();
    expect(roundFraction(at(50, 200))).toBe(0.5);
  });

  it('counts every seed: in lockstep at their summed speed, taking turns one after another', () => {
    const three = mergeConfig(c, { training: { trials: 3 } });
    // In lockstep at 600 examples/s (3 seeds × 200): 3 × 5 s of work left in this round at 3×
    // the speed, then 3 × 10 s the same way: 15 s, as for one seed at a third of the speed.
    expect(etaSeconds(three, at(50, 600, { trials: 3 }))).toBeCloseTo(15);
    // Taking turns at 200 examples/s, seed 1 of 0–2 halfway: 5 s for it, 10 s for seed 2, then
    // round 2's 3 seeds × 10 s.
    expect(etaSeconds(three, at(50, 200, { trials: 3, trial: 1 }))).toBeCloseTo(45);
    expect(roundFraction(at(50, 200, { trials: 3, trial: 1 }))).toBe(0.5);
    expect(roundFraction(at(50, 200, { trials: 3, trial: 2 }))).toBeCloseTo(2.5 / 3);
  });

  it('counts the lockstep groups still to come after the one stepping', () => {
    const ten = mergeConfig(c, { training: { trials: 10 } });
    // Trials 0–7 halfway at 1,600 examples/s: 8 × 50 + 2 × 100 steps of 2 variants × 10 examples
    // left in this round (7.5 s), then round 2's 10 × 100 steps (12.5 s).
    expect(etaSeconds(ten, at(50, 1600, { trials: 10, trial: 0, together: 8 }))).toBeCloseTo(20);
    expect(roundFraction(at(50, 1600, { trials: 10, trial: 0, together: 8 }))).toBeCloseTo(0.4);
    expect(roundFraction(at(50, 400, { trials: 10, trial: 8, together: 2 }))).toBeCloseTo(0.9);
  });
});

describe('replaySecondsLeft', () => {
  it('is the recorded time still to play at the replay speed, never below zero', () => {
    // 6.5 min recorded, 1 min played: 5.5 min left at 1×, 33 s at 10×, 3.3 s at 100×.
    const r = { atMs: 60_000, totalMs: 390_000 };
    expect(replaySecondsLeft({ ...r, speed: 1 })).toBe(330);
    expect(replaySecondsLeft({ ...r, speed: 10 })).toBe(33);
    expect(replaySecondsLeft({ ...r, speed: 100 })).toBeCloseTo(3.3);
    expect(replaySecondsLeft({ atMs: 400_000, totalMs: 390_000, speed: 10 })).toBe(0);
  });
});
