/**
 * Test accuracy before training (issue 16, Zhou et al. 2019): each round's first evaluation, made
 * before its first step (src/engine/round-training.ts), per variant and trial. The ticket there
 * is θ0 under its mask, and its masks alone already classify; the controls sit near chance. The
 * numbers are in every run already: the curves' first points.
 */
import { BIMODAL_VARIANTS, type VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import type { RunRound } from '../engine/trials';
import { VARIANT_ORDER } from '../settings/labels';
import type { RoundView } from './types';

/** One round's first evaluation of one variant, in one trial (trial 0 on screen as it streams). */
export interface RoundStart {
  round: number;
  remaining: number;
  variant: VariantName;
  /** The round's first point: iteration 0, or k in a run rewound to iteration k. */
  point: CurvePoint;
}

/** A round's first point stays the same object while later points stream in (curves.ts). */
const starts = new WeakMap<CurvePoint, RoundStart>();

/**
 * Whether a variant trains at its round's P_m: every one but the dense nets of a bimodal init,
 * which a figure against P_m would place where they are not (and Figure 8 leaves out).
 */
const atRoundsPm = (v: VariantName) => !(BIMODAL_VARIANTS as readonly VariantName[]).includes(v);

/**
 * Every round's first point per variant, as the same objects until a new one appears: a view
 * subscribed through useShallow re-renders once per round, not with every point batch.
 */
export function roundStarts(rounds: readonly RoundView[]): RoundStart[] {
  const out: RoundStart[] = [];
  for (const r of rounds)
    for (const variant of r.variants) {
      if (!atRoundsPm(variant)) continue;
      const point = r.curves[variant]?.[0];
      if (!point) continue;
      let s = starts.get(point);
      if (!s) starts.set(point, (s = { round: r.round, remaining: r.remaining, variant, point }));
      out.push(s);
    }
  return out;
}

/** One variant's accuracy before training at one round, in every trial that has it. */
export interface BeforePoint {
  round: number;
  /** P_m in percent (the figures' log axis). */
  remainingPct: number;
  /** Test accuracy at the round's first evaluation, per trial in trial order. */
  values: number[];
  /** The first evaluation's iteration (0, or the rewind iteration k of a pruned round). */
  iteration: number;
}

/** Per variant, its rounds' accuracies before training, in round order. */
export type BeforeTraining = Partial<Record<VariantName, BeforePoint[]>>;

/** One seed's, from the rounds' first points as they stream in (a round counts once it starts). */
export function beforeOfStarts(list: readonly RoundStart[]): BeforeTraining {
  const out: BeforeTraining = {};
  for (const s of list)
    (out[s.variant] ??= []).push({
      round: s.round,
      remainingPct: 100 * s.remaining,
      values: [s.point.testAccuracy],
      iteration: s.point.iteration,
    });
  return out;
}

/** Over trials, from the rounds every trial has finished (each trial's curve's first point). */
export function beforeOfTrials(rounds: readonly RunRound[]): BeforeTraining {
  const out: BeforeTraining = {};
  for (const r of rounds)
    for (const variant of VARIANT_ORDER) {
      if (!atRoundsPm(variant)) continue;
      const firsts = r.trials.flatMap((t) => {
        const p = t.variants.find((v) => v.variant === variant)?.curve[0];
        return p ? [p] : [];
      });
      if (firsts.length === 0) continue;
      (out[variant] ??= []).push({
        round: r.round,
        remainingPct: 100 * r.remaining,
        values: firsts.map((p) => p.testAccuracy),
        iteration: firsts[0]!.iteration,
      });
    }
  return out;
}

/**
 * Each variant's accuracy before training at `round`, per trial (trial 0 alone while streaming):
 * the rounds table's and the side-by-side's column.
 */
export function beforeAt(data: BeforeTraining, round: number, variant: VariantName): number[] {
  return data[variant]?.find((p) => p.round === round)?.values ?? [];
}
