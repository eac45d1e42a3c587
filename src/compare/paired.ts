/**
 * The numbers behind a comparison of two variants over trials: the difference of an accuracy,
 * paired by trial (both variants of a trial share its seed's data order and mask), its mean and
 * spread over seeds, how many seeds agree in sign, and the test set's own sampling error.
 */
import type { VariantName } from '../engine/config';
import { type RunRound, summarize } from '../engine/trials';

/** A comparison's numbers, in percentage points (pp). */
export interface Paired {
  /** Trials in which both variants ran. */
  n: number;
  /** Mean of (a − b) over those trials, in pp. */
  meanPp: number;
  /** Sample sd of (a − b) over trials, in pp; null below two trials. */
  sdPp: number | null;
  /** Trials whose difference has the mean's sign (strictly). */
  agree: number;
  /**
   * The binomial sampling error of one trial's difference on the test set, in pp: √(p(1−p)/N)
   * for each variant's mean accuracy p on N test examples, the two combined as independent. Both
   * are measured on the same images, whose errors are correlated, so this overstates the error:
   * it errs on the side of "within noise".
   */
  testSePp: number;
}

/** √(p(1 − p)/N): the standard error of an accuracy p measured on N examples. */
export const binomialSe = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/** The numbers of `a` − `b` from paired accuracies (in [0, 1]) on a test set of `testSize`. */
export function paired(pairs: readonly (readonly [number, number])[], testSize: number): Paired {
  const n = pairs.length;
  if (n === 0) throw new RangeError('no trial holds both variants');
  const d = pairs.map(([a, b]) => 100 * (a - b));
  const { mean, sd: sdPp } = summarize(d);
  const meanPp = mean!;
  const sign = Math.sign(meanPp);
  const pa = pairs.reduce((s, [a]) => s + a, 0) / n;
  const pb = pairs.reduce((s, [, b]) => s + b, 0) / n;
  return {
    n,
    meanPp,
    sdPp,
    agree: sign === 0 ? 0 : d.filter((x) => Math.sign(x) === sign).length,
    testSePp: 100 * Math.hypot(binomialSe(pa, testSize), binomialSe(pb, testSize)),
  };
}

/** Test accuracy at early stop of `a` − `b` in one round of a run, paired by trial. */
export function pairedAtEarlyStop(
  round: RunRound,
  a: VariantName,
  b: VariantName,
  testSize: number,
): Paired | null {
  const pairs: [number, number][] = [];
  for (const t of round.trials) {
    const va = t.variants.find((v) => v.variant === a);
    const vb = t.variants.find((v) => v.variant === b);
    if (va && vb) pairs.push([va.earlyStop.testAccuracy, vb.earlyStop.testAccuracy]);
  }
  return pairs.length ? paired(pairs, testSize) : null;
}
