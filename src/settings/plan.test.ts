import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, type ConfigPatch } from '../engine/config';
import {
  LONG_RUN_SECONDS,
  describeEstimate,
  describeWork,
  duration,
  estimateRun,
  estimateSeconds,
  plannedRemaining,
  plannedWork,
  rateAt,
  secondsAtSpeed,
} from './plan';
import { PRESETS, START_SETTINGS } from './presets';

describe('plannedRemaining', () => {
  it('previews the paper’s P_m before anything runs, in both scopes', () => {
    expect(plannedRemaining(DEFAULT_CONFIG, 0)).toBe(1);
    expect(plannedRemaining(DEFAULT_CONFIG, 3)).toBeCloseTo(0.513, 3);
    expect(plannedRemaining(DEFAULT_CONFIG, 7)).toBeCloseTo(0.211, 3);
    expect(plannedRemaining(DEFAULT_CONFIG, 12)).toBeCloseTo(0.0695, 3);
    const global = mergeConfig(DEFAULT_CONFIG, { pruning: { scope: 'global' } });
    expect(plannedRemaining(global, 12)).toBeCloseTo(0.8 ** 12, 3);
  });
});

/** The Quick look preset's config, with `patch` over it. */
const quick = (patch: ConfigPatch = {}) =>
  mergeConfig(
    mergeConfig(DEFAULT_CONFIG, {
      data: { validationSize: 1000, testSize: 1000 },
      training: { iterations: 250, evalEvery: 50 },
      pruning: { rounds: 5, controls: ['reinit'] },
    }),
    patch,
  );

describe('plannedWork', () => {
  it('counts every round’s variants, steps and evaluations, times the trials', () => {
    // Round 0 trains the ticket alone, rounds 1–5 the ticket and reinit: 11 variant-rounds of 250
    // steps of 60. Each variant-round evaluates at 0, 50, …, 250 (6 times) on 1,000 + 1,000
    // images, and passes its first batch forward once: 60 + 6 × 2,000 = 12,060.
    expect(plannedWork(quick())).toEqual({ trained: 165_000, evaluated: 132_660 });
    expect(plannedWork(quick({ training: { trials: 3 } }))).toEqual({
      trained: 495_000,
      evaluated: 397_980,
    });
  });

  it('trains a rewound round from k, and evaluates at a last iteration off the grid', () => {
    const c = mergeConfig(DEFAULT_CONFIG, {
      data: { validationSize: 100, testSize: 200 },
      training: { iterations: 1000, evalEvery: 300, batchSize: 10, trials: 2 },
      pruning: {
        rounds: 2,
        controls: ['reinit', 'random'],
        reset: { kind: 'rewind', iteration: 100 },
      },
    });
    // Round 0: 1,000 steps of 10; evaluations at 0, 300, 600, 900 and 1,000: 10 + 5 × 300.
    // Rounds 1–2: 3 variants × 900 steps (101..1,000) of 10; evaluations at 100, 300, 600, 900
    // and 1,000: 3 × (10 + 5 × 300) each. Per trial 64,000 and 10,570; two trials.
    expect(plannedWork(c)).toEqual({ trained: 128_000, evaluated: 21_140 });
    // Rewound to the last iteration, a pruned round trains nothing and evaluates once.
    const atEnd = mergeConfig(c, {
      training: { trials: 1 },
      pruning: { reset: { kind: 'rewind', iteration: 1000 } },
    });
    expect(plannedWork(atEnd)).toEqual({ trained: 10_000, evaluated: 1510 + 2 * 3 * 310 });
  });
});

describe('estimateSeconds', () => {
  const measured = { config: quick(), examplesPerSecond: 16_500 };

  it('gives the measured run its own time back, and scales with the work', () => {
    // 165,000 training examples at 16,500 a second, evaluations included in that rate: 10 s.
    expect(estimateSeconds(quick(), measured)).toBeCloseTo(10, 9);
    expect(estimateSeconds(quick({ training: { trials: 3 } }), measured)).toBeCloseTo(30, 9);
  });

  it('costs an evaluated image as a third of a training example', () => {
    // The measured run's cost: 165,000 + 132,660 / 3 = 209,220 in 10 s. Evaluating every 25
    // evaluates 11 times a variant-round: 11 × (60 + 11 × 2,000) = 242,660 images, so
    // (165,000 + 242,660 / 3) / 20,922 s.
    expect(estimateSeconds(quick({ training: { evalEvery: 25 } }), measured)).toBeCloseTo(
      (165_000 + 242_660 / 3) / 20_922,
      9,
    );
  });

  it('gives nothing without a measured rate', () => {
    for (const examplesPerSecond of [0, NaN, -5])
      expect(estimateSeconds(quick(), { config: quick(), examplesPerSecond })).toBeNull();
  });
});

describe('the plan in words', () => {
  it('names seeds, rounds and variants, and the work they make', () => {
    expect(describeWork(quick())).toBe(
      '1 seed × 6 rounds × up to 2 variants: 165k training examples, 133k images evaluated',
    );
    expect(describeWork(quick({ training: { trials: 3 } }))).toBe(
      '3 seeds × 6 rounds × up to 2 variants: 495k training examples, 398k images evaluated',
    );
    const lecture = mergeConfig(DEFAULT_CONFIG, {
      data: { validationSize: 2000, testSize: 5000 },
      training: { iterations: 1500, trials: 3 },
    });
    // 3 × 37 variant-rounds × 1,500 × 60 = 9,990,000; 3 × 37 × (60 + 16 × 7,000) = 12,438,660.
    expect(describeWork(lecture)).toBe(
      '3 seeds × 13 rounds × up to 3 variants: 10.0M training examples, 12.4M images evaluated',
    );
    expect(describeWork(quick({ pruning: { rounds: 0 } }))).toMatch(
      /^1 seed × 1 round × 1 variant:/,
    );
  });

  it('says the time as an estimate at the last measured rate', () => {
    const measured = { config: quick(), examplesPerSecond: 16_500.4 };
    expect(describeEstimate(quick({ training: { trials: 3 } }), measured)).toBe(
      '≈ 30 s at the last measured 16,500 examples/s (an estimate: the rate changes as rounds prune)',
    );
    // 100 times the steps: (16,500,000 + 11 × (60 + 501 × 2,000) / 3) / 20,922 s ≈ 964 s;
    // ten seeds of that, 200 times the steps: ≈ 19,284 s.
    const long = (iterations: number, trials: number) =>
      describeEstimate(quick({ training: { iterations, trials } }), measured);
    expect(long(25_000, 1)).toMatch(/^≈ 16 min at/);
    expect(long(50_000, 10)).toMatch(/^≈ 5 h 21 min at/);
    expect(describeEstimate(quick(), { ...measured, examplesPerSecond: 0 })).toBeNull();
  });
});

describe('the estimate from a measured device speed (issue 15)', () => {
  const speed = {
    choice: 'auto' as const,
    backend: 'simd' as const,
    trainPerSecond: 16_500,
    evalPerSecond: 66_330,
    batchSize: 60,
  };
  const paper = PRESETS.find((p) => p.id === 'paper')!.settings(START_SETTINGS).config;

  it('times the training at the training rate and the evaluations at the evaluation rate', () => {
    // Quick look: 165,000 training examples / 16,500 = 10 s; 132,660 images / 66,330 = 2 s.
    expect(secondsAtSpeed(quick(), speed)).toBeCloseTo(12, 9);
    // The paper: 5 seeds × 37 variant-rounds × 50,000 × 60 = 555,000,000 examples, and
    // 5 × 37 × (60 + 501 × 15,000) = 1,390,286,100 images: evaluation is a large share.
    expect(plannedWork(paper)).toEqual({ trained: 555_000_000, evaluated: 1_390_286_100 });
    const at = { trainPerSecond: 30_000, evalPerSecond: 100_000 };
    expect(secondsAtSpeed(paper, at)).toBeCloseTo(555_000_000 / 30_000 + 13_902.861, 6);
    for (const bad of [0, NaN, -1]) {
      expect(secondsAtSpeed(quick(), { ...at, trainPerSecond: bad })).toBeNull();
      expect(secondsAtSpeed(quick(), { ...at, evalPerSecond: bad })).toBeNull();
    }
  });

  it('reads a round’s rates between the densities timed, and costs each round at its own P_m', () => {
    const byDensity = [
      { density: 1, trainPerSecond: 10_000, evalPerSecond: 40_000 },
      { density: 0.5, trainPerSecond: 5_000, evalPerSecond: 20_000 },
      { density: 0.05, trainPerSecond: 50_000, evalPerSecond: 200_000 },
    ];
    expect(rateAt(byDensity, 1)).toMatchObject({ trainPerSecond: 10_000 });
    expect(rateAt(byDensity, 0.8)).toMatchObject({ trainPerSecond: expect.any(Number) });
    expect(rateAt(byDensity, 0.01)).toMatchObject({ trainPerSecond: 50_000 }); // beyond: the end
    // Halfway in log density between 50% and 5% (15.8%): times per example average.
    const mid = rateAt(byDensity, Math.sqrt(0.5 * 0.05));
    expect(1 / mid.trainPerSecond).toBeCloseTo((1 / 5_000 + 1 / 50_000) / 2, 12);
    // Between 100% and 50% the time per example rises toward the 50% one.
    const r = rateAt(byDensity, 0.8).trainPerSecond;
    expect(r).toBeLessThan(10_000);
    expect(r).toBeGreaterThan(5_000);

    // Every round at the dense rate = the dense estimate; rounds at 5% cost a tenth of it.
    const flat = byDensity.map((p) => ({ ...p, trainPerSecond: 10_000, evalPerSecond: 40_000 }));
    const dense = { trainPerSecond: 10_000, evalPerSecond: 40_000 };
    expect(secondsAtSpeed(quick(), { ...dense, byDensity: flat })).toBeCloseTo(
      secondsAtSpeed(quick(), dense)!,
      9,
    );
    const work = plannedWork(quick());
    const fast = [1, 0.5, 0.05].map((density) => ({ density, ...dense }));
    fast[1] = { density: 0.999, trainPerSecond: 100_000, evalPerSecond: 400_000 };
    fast[2] = { density: 0.001, trainPerSecond: 100_000, evalPerSecond: 400_000 };
    // Round 0 (dense) at the dense rate, every pruned round at ten times it.
    const round0 = plannedWork({ ...quick(), pruning: { ...quick().pruning, rounds: 0 } });
    const expected =
      round0.trained / 10_000 +
      round0.evaluated / 40_000 +
      (work.trained - round0.trained) / 100_000 +
      (work.evaluated - round0.evaluated) / 400_000;
    expect(secondsAtSpeed(quick(), { ...dense, byDensity: fast })).toBeCloseTo(expected, 9);
    // A bimodal init trains its pruned rounds' variants dense beside the dense nets: no pruned
    // round is cheaper than round 0, so its whole work goes at the dense rate.
    const bimodal = quick({ model: { init: 'bimodal' } });
    const all = plannedWork(bimodal);
    expect(secondsAtSpeed(bimodal, { ...dense, byDensity: fast })).toBeCloseTo(
      all.trained / 10_000 + all.evaluated / 40_000,
      9,
    );
  });

  it('says a duration in seconds, minutes, or hours and minutes', () => {
    expect([0.2, 45, 89.4, 90, 959, 3569, 3599, 13_200, 32_402.9].map(duration)).toEqual([
      '1 s',
      '45 s',
      '89 s',
      '2 min',
      '16 min',
      '59 min',
      '1 h',
      '3 h 40 min',
      '9 h',
    ]);
  });

  it('prefers the device speed (each round at its own P_m), else the run on screen’s rate, and says which it used', () => {
    const none = { runConfig: null, runRate: null, speed: null };
    expect(estimateRun(quick(), none)).toBeNull();
    const fromSpeed = estimateRun(quick(), { ...none, speed })!;
    expect(fromSpeed.seconds).toBeCloseTo(12, 9);
    expect(fromSpeed.words).toBe(
      '≈ 12 s on this device (simd, measured: 16,500 training examples/s at batch 60, 66,330 evaluated images/s; pruned rounds can run faster)',
    );
    // A finished run's rate is its last round's, the sparsest: the device speed wins over it.
    const both = { runConfig: quick(), runRate: 165_000, speed };
    expect(estimateRun(quick(), both)!.seconds).toBeCloseTo(12, 9);
    // Before the device is timed, the run on screen's rate.
    const fromRun = estimateRun(quick({ training: { trials: 3 } }), {
      ...both,
      speed: null,
      runRate: 16_500,
    })!;
    expect(fromRun.seconds).toBeCloseTo(30, 9);
    expect(fromRun.words).toMatch(/^≈ 30 s at the last measured 16,500 examples\/s/);
    expect(estimateRun(quick(), { runConfig: quick(), runRate: 0, speed: null })).toBeNull();
  });

  it('asks before the paper’s run on a laptop-speed device, not before Quick look', () => {
    const laptop = { ...speed, trainPerSecond: 30_000, evalPerSecond: 100_000 };
    const basis = { runConfig: null, runRate: null, speed: laptop };
    expect(estimateRun(paper, basis)!.seconds).toBeGreaterThan(LONG_RUN_SECONDS);
    expect(estimateRun(paper, basis)!.words).toMatch(/^≈ 9 h on this device \(simd, measured/);
    expect(estimateRun(START_SETTINGS.config, basis)!.seconds).toBeLessThan(LONG_RUN_SECONDS);
  });
});
