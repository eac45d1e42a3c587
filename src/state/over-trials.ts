/**
 * Pure functions from a run's rounds over trials (issue 14) to what the charts draw: per variant
 * and round, the mean over seeds with a band of ±1 sample sd and every seed's own value, and a
 * round's mean curve with its band. No React here: derive.ts's sibling for several seeds.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import { type RunRound, type TrialResult, summarize } from '../engine/trials';
import { VARIANT_ORDER } from '../settings/labels';

/** A measure over seeds at one point: mean, the band (mean ± 1 sd; none for one seed), values. */
export interface Spread {
  mean: number;
  lo: number;
  hi: number;
  /** Every seed's own value, in trial order. */
  values: number[];
}

export interface PmSpread extends Spread {
  round: number;
  remainingPct: number;
  /** A control's line starting at the dense net: the ticket's round-0 point, not the control's. */
  dense?: true;
}

/** A measure of one variant's result in one trial. */
export type Measure = (v: TrialResult['variants'][number]) => number;

export function spreadOf(values: readonly number[]): Spread {
  const { mean, sd } = summarize(values);
  const m = mean ?? NaN;
  return { mean: m, lo: m - (sd ?? 0), hi: m + (sd ?? 0), values: [...values] };
}

/**
 * Per variant, `measure` over seeds at each completed round, against P_m. Round 0's dense ticket
 * starts every control's line, as in the one-seed figures.
 */
export function spreadByRemaining(
  rounds: readonly RunRound[],
  measure: Measure,
): Partial<Record<VariantName, PmSpread[]>> {
  const out: Partial<Record<VariantName, PmSpread[]>> = {};
  const trained = new Set<VariantName>();
  for (const r of rounds) {
    for (const s of r.summary) {
      const values = r.trials.flatMap((t) => {
        const v = t.variants.find((x) => x.variant === s.variant);
        return v ? [measure(v)] : [];
      });
      if (values.length === 0) continue;
      trained.add(s.variant);
      const p: PmSpread = { round: r.round, remainingPct: 100 * r.remaining, ...spreadOf(values) };
      (out[s.variant] ??= []).push(p);
      if (r.round === 0)
        for (const c of VARIANT_ORDER.slice(1)) (out[c] ??= []).push({ ...p, dense: true });
    }
  }
  for (const k of VARIANT_ORDER.slice(1)) if (!trained.has(k)) delete out[k];
  return out;
}

/** The most seeds any round holds: 1 means the figures show one seed. */
export const seedsIn = (rounds: readonly RunRound[]): number =>
  Math.max(0, ...rounds.map((r) => r.trials.length));

/**
 * One variant's test-accuracy curve in one round, over seeds: at each iteration every seed
 * evaluated, the mean and ±1 sd. Iterations some seed lacks are left out.
 */
export function meanCurve(
  round: RunRound,
  variant: VariantName,
): { iteration: number; testAccuracy: number; lo: number; hi: number }[] {
  const curves: (readonly CurvePoint[])[] = round.trials.flatMap((t) => {
    const v = t.variants.find((x) => x.variant === variant);
    return v ? [v.curve] : [];
  });
  const first = curves[0];
  if (!first) return [];
  return first.flatMap((p, i) => {
    const at = curves.map((c) => (c[i]?.iteration === p.iteration ? c[i]! : undefined));
    if (at.some((x) => x === undefined)) return [];
    const s = spreadOf(at.map((x) => x!.testAccuracy));
    return [{ iteration: p.iteration, testAccuracy: s.mean, lo: s.lo, hi: s.hi }];
  });
}
