/**
 * Pure functions from the store's rounds to what the charts draw: plain arrays, decimated so a
 * 50,000-iteration round never hands thousands of points to an SVG chart.
 */
import { type ExperimentConfig, type VariantName, variantsOfRound } from '../engine/config';
import type { CurvePoint, EarlyStop } from '../engine/metrics';
import type { Progress, RoundSummary } from '../worker/protocol';
import { VARIANT_ORDER } from '../settings/labels';
import type { RoundView } from './types';

const decimated = new WeakMap<object, Map<number, readonly unknown[]>>();

/**
 * At most `max` points, always keeping the first and the last (the append-only stream stays
 * cheap to draw). Cached by source array: the same round's curve gives the same array until a
 * point is appended, so memoised chart lines skip their work.
 */
export function decimate<T>(points: readonly T[], max = 160): readonly T[] {
  if (points.length <= max) return points;
  let byMax = decimated.get(points);
  if (!byMax) decimated.set(points, (byMax = new Map()));
  const hit = byMax.get(max);
  if (hit) return hit as readonly T[];
  const out = decimateUncached(points, max);
  byMax.set(max, out);
  return out;
}

function decimateUncached<T>(points: readonly T[], max: number): readonly T[] {
  const stride = Math.ceil((points.length - 1) / (max - 1));
  const out: T[] = [];
  for (let i = 0; i < points.length - 1; i += stride) out.push(points[i]!);
  out.push(points[points.length - 1]!);
  return out;
}

/** One point per completed round for one variant: what Figure 4 plots against P_m. */
export interface PmPoint {
  round: number;
  remaining: number;
  /** P_m in percent, the log-scaled x axis. */
  remainingPct: number;
  earlyStop: EarlyStop;
  finalTestAccuracy: number;
}

/** Per variant, its completed rounds against P_m. Round 0's dense ticket starts every line. */
export function byRemaining(
  summaries: readonly (RoundSummary | null)[],
): Partial<Record<VariantName, PmPoint[]>> {
  const out: Partial<Record<VariantName, PmPoint[]>> = {};
  const trained = new Set<VariantName>();
  for (const r of summaries) {
    if (!r) continue;
    for (const v of r.variants) {
      trained.add(v.variant);
      const p: PmPoint = {
        round: r.round,
        remaining: v.remaining,
        remainingPct: 100 * v.remaining,
        earlyStop: v.earlyStop,
        finalTestAccuracy: v.finalTestAccuracy,
      };
      (out[v.variant] ??= []).push(p);
      // Controls at P_m = 100% are the dense net itself: start their lines there too.
      if (r.round === 0) for (const c of VARIANT_ORDER.slice(1)) (out[c] ??= []).push(p);
    }
  }
  // A control that never trained has only the dense point: no line.
  for (const k of VARIANT_ORDER.slice(1)) if (!trained.has(k)) delete out[k];
  return out;
}

/** Per completed round, the fraction of each layer's weights remaining: chart 4. */
export function remainingByLayer(
  summaries: readonly (RoundSummary | null)[],
): { round: number; layers: number[] }[] {
  return summaries
    .filter((r): r is RoundSummary => r !== null)
    .map((r) => ({ round: r.round, layers: r.remainingByLayer }));
}

/** A round's curve for a variant, decimated. */
export function curveOf(r: RoundView, v: VariantName, max?: number): readonly CurvePoint[] {
  return decimate(r.curves[v] ?? [], max);
}

/**
 * How far the round in flight is, 0–1: its iterations, and where a run's seeds take turns (tfjs
 * backends), the seeds before the one training.
 */
export function roundFraction(p: Progress): number {
  const own = p.iteration / p.iterations;
  const { first, together, trials } = stepping(p);
  return (first + together * own) / trials;
}

/** The trials stepping now, and the run's (one, stepping alone, for a one-trial run). */
function stepping(p: Progress): { first: number; together: number; trials: number } {
  const trials = p.trials ?? 1;
  return {
    first: p.trial ?? 0,
    together: p.together ?? (p.trial === undefined ? trials : 1),
    trials,
  };
}

/**
 * Time left in the run from progress so far: the examples still to train at the current speed,
 * summed over the variants and the seeds (the speed counts the examples of the seeds stepping
 * now; those after them, in later lockstep groups or turns, are still to come, at that speed).
 */
export function etaSeconds(config: ExperimentConfig, p: Progress): number | null {
  const { examplesPerSecond, round, iteration } = p;
  if (!(examplesPerSecond > 0)) return null;
  const { iterations, batchSize, trials } = config.training;
  const k = variantsOfRound(config, 1).length;
  const current = round === 0 ? 1 : k;
  // The stepping trials' rest of the round, then the trials after them (later groups, or turns).
  const { first, together } = stepping(p);
  const stepsLeftThis =
    (iterations - iteration) * together + (trials - first - together) * iterations;
  const leftThis = (stepsLeftThis * batchSize * current) / examplesPerSecond;
  const roundsLeft = config.pruning.rounds - round;
  return leftThis + (roundsLeft * trials * k * iterations * batchSize) / examplesPerSecond;
}

/**
 * Time left in a replay, in seconds of this page's clock: the recorded run's time still to play,
 * at the replay's speed (issue 15: never an estimate from the recorded run's training rate).
 */
export function replaySecondsLeft(r: { atMs: number; totalMs: number; speed: number }): number {
  return Math.max(0, r.totalMs - r.atMs) / r.speed / 1000;
}
