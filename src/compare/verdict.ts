/**
 * A comparison's verdict, in words chosen from its numbers (paired.ts): how far ahead, with which
 * noise, and how many seeds agree. Never "%" for a difference: percentage points (pp).
 *
 * The rule, in the order it is applied:
 * - fewer than 3 trials: "too few": the difference is given, with the test set's error, and the
 *   reader is told to run 3 or more seeds to tell it from seed noise;
 * - |mean| below the noise, the larger of the half-widths of two 95% intervals: Student's t over
 *   seeds (t·sd/√n, n − 1 degrees of freedom) and the test set's binomial error of one trial's
 *   difference (1.96·SE): "within noise", naming which noise is the larger;
 * - every seed agreeing in sign: "ahead" or "behind";
 * - otherwise "mixed": ahead on average, but not in every seed.
 */
import type { Paired } from './paired';

export type VerdictKind = 'ahead' | 'behind' | 'mixed' | 'within-noise' | 'too-few';

export interface Verdict extends Paired {
  kind: VerdictKind;
  /** The larger of the two noises (pp), as 95% half-widths; what |mean| is held against. */
  noisePp: number;
  /** Which noise that is. */
  noiseFrom: 'seeds' | 'test set';
  /** A sentence for the screen, e.g. "the ticket is ahead of random reinit by 1.4 pp; all 5 seeds agree". */
  words: string;
  /** The numbers alone, for a table cell: "+1.40 ± 0.30 pp, 5/5 seeds". */
  short: string;
}

/** Trials below which no difference is told apart from seed noise. */
export const MIN_TRIALS = 3;

/** Student's t at 0.975 for 1–30 degrees of freedom (two-sided 95%). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];
/** t at 0.975 with `df` degrees of freedom; beyond 30, close to the normal's 1.96. */
export const t975 = (df: number): number =>
  df <= 30 ? T975[df - 1]! : 1.96 + (T975[29]! - 1.96) * (30 / df);

const pp = (x: number, digits = 1) => `${Math.abs(x).toFixed(digits)} pp`;
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
const seeds = (n: number) => (n === 1 ? 'one seed' : n === 2 ? 'two seeds' : `${n} seeds`);

/** The verdict on `a` against `b` (their names as the screen says them). */
export function verdict(p: Paired, a: string, b: string): Verdict {
  const fromSeeds = p.sdPp === null ? Infinity : (t975(p.n - 1) * p.sdPp) / Math.sqrt(p.n);
  const fromTest = 1.96 * p.testSePp;
  const noiseFrom = fromSeeds >= fromTest ? 'seeds' : 'test set';
  const noisePp = Math.max(fromSeeds, fromTest);
  const short = `${signed(p.meanPp)}${p.sdPp === null ? '' : ` ± ${p.sdPp.toFixed(2)}`} pp, ${p.agree}/${p.n} seed${p.n > 1 ? 's' : ''}`;
  const ahead = p.meanPp >= 0;
  const lead = `${a} is ${ahead ? 'ahead of' : 'behind'} ${b} by ${pp(p.meanPp)}`;
  const testNoise = `the test set alone varies by ±${pp(fromTest)}`;
  let kind: VerdictKind;
  let words: string;
  if (p.n < MIN_TRIALS) {
    kind = 'too-few';
    words = `${lead} (${testNoise}); ${seeds(p.n)}: run ${MIN_TRIALS} or more to tell this from seed noise`;
  } else if (Math.abs(p.meanPp) < noisePp) {
    kind = 'within-noise';
    words =
      noiseFrom === 'seeds'
        ? `${a} and ${b} differ by ${pp(p.meanPp)}: within seed noise (±${pp(noisePp)} over ${p.n} seeds)`
        : `${a} and ${b} differ by ${pp(p.meanPp)}: within the test set's noise (±${pp(noisePp)})${p.agree === p.n ? `, though all ${p.n} seeds agree in sign` : `; ${p.agree} of ${p.n} seeds agree in sign`}`;
  } else if (p.agree === p.n) {
    kind = ahead ? 'ahead' : 'behind';
    words = `${lead}; all ${p.n} seeds agree`;
  } else {
    kind = 'mixed';
    words = `${lead} on average, but only ${p.agree} of ${p.n} seeds agree`;
  }
  return { ...p, kind, noisePp, noiseFrom, words, short };
}
