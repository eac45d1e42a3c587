/**
 * Pure functions from the store's rounds to what the charts draw: plain arrays, decimated so a
 * 50,000-iteration round never hands thousands of points to an SVG chart.
 */
import type { ExperimentConfig, VariantName } from '../engine/config';
import type { CurvePoint, EarlyStop } from '../engine/metrics';
import type { RoundSummary, VariantSummary } from '../worker/protocol';
import { VARIANT_LABEL, VARIANT_ORDER } from '../settings/labels';
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
 * The comparison in words: "at 7.0% the ticket reaches 98.1% at iteration 2000; random reinit 96.5%
 * at 3000".
 */
export function describeComparison(
  remaining: number,
  ticket: VariantSummary,
  control: VariantSummary,
): string {
  const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
  const gap = ticket.earlyStop.testAccuracy - control.earlyStop.testAccuracy;
  const verdict =
    Math.abs(gap) < 0.001
      ? 'the two are level'
      : gap > 0
        ? `the ticket is ${pct(gap, 2)} ahead`
        : `the ticket is ${pct(-gap, 2)} behind`;
  return `At ${pct(remaining)} of weights, the winning ticket reaches ${pct(ticket.earlyStop.testAccuracy, 2)} at iteration ${ticket.earlyStop.iteration.toLocaleString('en-US')}; ${VARIANT_LABEL[control.variant]} ${pct(control.earlyStop.testAccuracy, 2)} at ${control.earlyStop.iteration.toLocaleString('en-US')}: ${verdict}.`;
}

/** Time left in the run from progress so far: iterations remaining at the current speed. */
export function etaSeconds(
  config: ExperimentConfig,
  round: number,
  iteration: number,
  examplesPerSecond: number,
): number | null {
  if (!(examplesPerSecond > 0)) return null;
  const k = 1 + config.pruning.controls.length;
  const perRound = (variants: number) =>
    (variants * config.training.iterations * config.training.batchSize) / examplesPerSecond;
  const current = round === 0 ? 1 : k;
  const leftThis =
    ((config.training.iterations - iteration) * config.training.batchSize * current) /
    examplesPerSecond;
  const roundsLeft = config.pruning.rounds - round;
  return leftThis + roundsLeft * perRound(k);
}
