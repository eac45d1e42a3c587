import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../engine/config';
import type { VariantSummary } from '../worker/protocol';
import { byRemaining, decimate, describeComparison, etaSeconds } from './derive';
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

describe('describeComparison', () => {
  it('states both results and the gap in words', () => {
    const text = describeComparison(
      0.07,
      summary('ticket', 0.07, 2000, 0.981),
      summary('reinit', 0.07, 3000, 0.965),
    );
    expect(text).toBe(
      'At 7.0% of weights, the winning ticket reaches 98.10% at iteration 2,000; random reinit 96.50% at 3,000: the ticket is 1.60% ahead.',
    );
    expect(
      describeComparison(
        0.5,
        summary('ticket', 0.5, 100, 0.9),
        summary('rearrange', 0.5, 100, 0.95),
      ),
    ).toMatch(/5\.00% behind\.$/);
  });
});

describe('etaSeconds', () => {
  it('counts the rest of this round and the rounds to come at the current speed', () => {
    const c = mergeConfig(DEFAULT_CONFIG, {
      training: { iterations: 100, batchSize: 10 },
      pruning: { rounds: 2, controls: ['reinit'] },
    });
    // Round 1 of 2, halfway, 2 variants at 200 examples/s: 50 × 10 × 2 / 200 = 5 s, then round 2:
    // 100 × 10 × 2 / 200 = 10 s.
    expect(etaSeconds(c, 1, 50, 200)).toBeCloseTo(15);
    expect(etaSeconds(c, 1, 50, 0)).toBeNull();
  });
});
