/**
 * Verdicts on synthetic comparisons whose truth is known: the words follow the numbers, and over
 * many simulated runs the rule rarely calls a difference that is not there and finds one that is.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { binomialSe, paired } from './paired';
import { verdict } from './verdict';

/** Pairs (a, b) with b at `base` and a − b = the given differences (in pp). */
const pairsOf = (diffsPp: number[], base = 0.9) =>
  diffsPp.map((d) => [base + d / 100, base] as const);

describe('paired numbers', () => {
  it('mean, sample sd and agreement of the differences, in pp, and the test set’s error', () => {
    const p = paired(pairsOf([1, 2, 3, -1]), 10_000);
    expect(p.n).toBe(4);
    expect(p.meanPp).toBeCloseTo(1.25, 10);
    expect(p.sdPp).toBeCloseTo(Math.sqrt(8.75 / 3), 10);
    expect(p.agree).toBe(3);
    const pa = 0.9 + 1.25 / 100;
    expect(p.testSePp).toBeCloseTo(
      100 * Math.hypot(binomialSe(pa, 10_000), binomialSe(0.9, 10_000)),
      10,
    );
    expect(binomialSe(0.9, 10_000)).toBeCloseTo(0.003, 10);
    expect(paired(pairsOf([0.5]), 100).sdPp).toBeNull();
    expect(() => paired([], 100)).toThrow(RangeError);
  });
});

describe('verdict words', () => {
  it('a clear lead that every seed shows: ahead, in pp, with the seeds that agree', () => {
    const v = verdict(
      paired(pairsOf([1.3, 1.5, 1.4, 1.2, 1.6]), 10_000),
      'the ticket',
      'random reinit',
    );
    expect(v.kind).toBe('ahead');
    expect(v.words).toBe('the ticket is ahead of random reinit by 1.4 pp; all 5 seeds agree');
    expect(v.short).toBe('+1.40 ± 0.16 pp, 5/5 seeds');
    expect(v.words).not.toMatch(/\d%/);
  });

  it('behind, when every seed says so', () => {
    const v = verdict(paired(pairsOf([-2.1, -1.9, -2.4]), 10_000), 'one-shot', 'iterative');
    expect(v.kind).toBe('behind');
    expect(v.words).toBe('one-shot is behind iterative by 2.1 pp; all 3 seeds agree');
  });

  it('a small difference among noisy seeds: within seed noise, with how large that noise is', () => {
    const v = verdict(paired(pairsOf([1.9, -1.6, 1.4, -1.3, 0.6]), 10_000), 'the ticket', 'reinit');
    expect(v.kind).toBe('within-noise');
    expect(v.noiseFrom).toBe('seeds');
    expect(v.words).toMatch(
      /^the ticket and reinit differ by 0\.2 pp: within seed noise \(±2\.0 pp over 5 seeds\)$/,
    );
  });

  it('a difference the test set cannot resolve: within the test set’s noise, however steady the seeds', () => {
    // 100 test images: one image is 1 pp, and an accuracy of 90% varies by ±3 pp.
    const v = verdict(paired(pairsOf([2, 2, 2, 2, 2]), 100), 'the ticket', 'reinit');
    expect(v.kind).toBe('within-noise');
    expect(v.noiseFrom).toBe('test set');
    expect(v.words).toMatch(
      /within the test set's noise \(±7\.9 pp\), though all 5 seeds agree in sign$/,
    );
  });

  it('ahead on average but not in every seed: mixed', () => {
    const v = verdict(paired(pairsOf([3, 3.2, 2.8, 3.1, -0.2]), 10_000), 'the ticket', 'reinit');
    expect(v.kind).toBe('mixed');
    expect(v.words).toBe(
      'the ticket is ahead of reinit by 2.4 pp on average, but only 4 of 5 seeds agree',
    );
  });

  it('one or two seeds: the difference and the test set’s error, and a request for more seeds', () => {
    const one = verdict(paired(pairsOf([2.68]), 10_000), 'the ticket', 'reinit');
    expect(one.kind).toBe('too-few');
    expect(one.words).toBe(
      'the ticket is ahead of reinit by 2.7 pp (the test set alone varies by ±0.8 pp); one seed: run 3 or more to tell this from seed noise',
    );
    expect(one.short).toBe('+2.68 pp, 1/1 seed');
    expect(verdict(paired(pairsOf([0.22, 0.3]), 10_000), 'a', 'b').words).toMatch(
      /two seeds: run 3 or more/,
    );
  });
});

describe('verdicts over simulated runs', () => {
  /** Five seeds of a comparison whose per-seed difference is N(truthPp, 1 pp²) on 10k images. */
  function simulate(truthPp: number, runs: number): Record<string, number> {
    const rng = new Rng(2026, 'verdict-simulation', truthPp);
    const counts: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      const diffs = Array.from({ length: 5 }, () => truthPp + rng.normal());
      const kind = verdict(paired(pairsOf(diffs, 0.95), 10_000), 'a', 'b').kind;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return counts;
  }

  it('names a direction for a difference that is not there in under 5% of runs', () => {
    const counts = simulate(0, 2000);
    // "Mixed" names a direction too ("ahead … on average"): it counts as a call.
    const called = (counts.ahead ?? 0) + (counts.behind ?? 0) + (counts.mixed ?? 0);
    expect(called / 2000).toBeLessThan(0.05);
  });

  it('finds a difference of 2 seed-sds in over 80% of runs, and never calls it the wrong way', () => {
    const counts = simulate(2, 2000);
    expect((counts.ahead ?? 0) / 2000).toBeGreaterThan(0.8);
    expect(counts.behind ?? 0).toBe(0);
  });
});
