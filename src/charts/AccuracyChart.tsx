/**
 * Chart 1: test accuracy vs training iteration, one line per (round, variant), coloured by P_m,
 * with each line's early-stop iteration marked. A dumb view over plain arrays, drawn with the
 * lean streaming chart (it updates several times a second during a run).
 *
 * The y axis is the test error on a log scale, labelled as accuracy (issue 15): the curves the
 * paper compares sit at 97-99%, while a ticket before training (iteration 0) classifies 80-92% of
 * digits and a control or the dense net sits near chance (~10%). A linear axis cut at 90% drew all
 * of those on its floor; a linear axis from 0% flattens the top. On log error, 90%, 99% and 99.9%
 * are evenly spaced and every point is drawn where it is.
 */
import { useMemo } from 'react';
import type { EarlyStop } from '../engine/metrics';
import { PmColorKey } from './PmColorKey';
import { type StreamSeries, StreamLines } from './StreamLines';

export interface AccuracySeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: readonly { iteration: number; testAccuracy: number }[];
  /** The early-stop point, once the round is complete. */
  earlyStop?: Pick<EarlyStop, 'iteration' | 'testAccuracy'>;
  /** Over seeds: the band around the mean curve (±1 sd). */
  band?: readonly { iteration: number; lo: number; hi: number }[];
}

/** Error levels (1 − accuracy) the axis may tick at, largest first. */
const ERROR_TICKS = [
  0.99, 0.95, 0.9, 0.8, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005,
];
/** Which ticks to label first when they crowd (StreamLines keeps what fits): 90%, 99%, 99.9%. */
const TICK_PRIORITY = [
  0.1, 0.01, 0.001, 0.5, 0.05, 0.005, 0.0005, 0.9, 0.2, 0.02, 0.002, 0.8, 0.95, 0.99,
];

/**
 * Below this error a point is drawn at the axis' top edge: finer than any test set here (at most
 * 10,000 images: one error is 1e-4), so only a perfect score is moved, and the readout says 100%.
 */
const SMALLEST_ERROR = 1e-5;

export const errorOf = (accuracy: number) => Math.max(SMALLEST_ERROR, 1 - accuracy);

/**
 * The axis for accuracies from `lowest` to `highest`: error ticks bracketing both (at least 90%
 * to 99% shown), as an error domain from the bottom (large error) to the top.
 */
export function accuracyAxis(
  lowest: number,
  highest: number,
): { domain: [number, number]; ticks: number[] } {
  const worst = Number.isFinite(lowest) ? errorOf(lowest) : 0.1;
  const best = Number.isFinite(highest) ? errorOf(highest) : 0.01;
  // The smallest tick at or below the worst point (or the point itself, below 1%), at least 90%
  // shown; the largest tick at or above the best point, at least 99% shown.
  const bottom = [...ERROR_TICKS].reverse().find((t) => t >= worst) ?? worst;
  const top = ERROR_TICKS.find((t) => t <= best) ?? SMALLEST_ERROR;
  const domain: [number, number] = [Math.max(bottom, 0.1), Math.min(top, 0.01)];
  return { domain, ticks: ERROR_TICKS.filter((t) => t <= domain[0] && t >= domain[1]) };
}

/** "90%", "99%", "99.5%": as many decimals as the tick needs. */
export function accuracyLabel(error: number): string {
  return `${Number(((1 - error) * 100).toFixed(2))}%`;
}

/** The lowest and highest accuracy a set of series draws (curves, bands, early stops). */
export function accuracyExtent(series: readonly AccuracySeries[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const p of s.points)
      [lo, hi] = [Math.min(lo, p.testAccuracy), Math.max(hi, p.testAccuracy)];
    for (const b of s.band ?? []) [lo, hi] = [Math.min(lo, b.lo), Math.max(hi, b.hi)];
  }
  return [lo, hi];
}

export function AccuracyChart({
  series,
  height = 300,
  extent,
  pmKey,
  presenter = false,
}: {
  series: AccuracySeries[];
  height?: number;
  /** Projector size (StreamLines). */
  presenter?: boolean;
  /** Accuracies the axis must hold, for charts that share one axis (the side-by-side). */
  extent?: [number, number];
  /** The P_m of each ticket line, for the colour key (chart 1). */
  pmKey?: readonly number[];
}) {
  const lines = useMemo<StreamSeries[]>(
    () =>
      series.map((s) => ({
        key: s.key,
        label: s.label,
        color: s.color,
        dashed: s.dashed,
        width: s.dashed ? 1.5 : 2,
        points: s.points.map((p) => ({ x: p.iteration, y: errorOf(p.testAccuracy) })),
        ...(s.earlyStop
          ? { marker: { x: s.earlyStop.iteration, y: errorOf(s.earlyStop.testAccuracy) } }
          : {}),
        ...(s.band
          ? { band: s.band.map((b) => ({ x: b.iteration, lo: errorOf(b.lo), hi: errorOf(b.hi) })) }
          : {}),
      })),
    [series],
  );
  const [lo, hi] = extent ?? accuracyExtent(series);
  const axis = useMemo(() => accuracyAxis(lo, hi), [lo, hi]);
  const controls = series.filter((s) => s.dashed);
  return (
    <>
      {pmKey && (
        <p className="legend" data-testid="accuracy-key">
          <PmColorKey remaining={pmKey} />
          {controls.length > 0 && (
            <span>
              ╌ dashed: the shown round’s controls (
              {[...new Set(controls.map((c) => c.label.replace(/^[\d.]+% /, '')))].join(', ')})
            </span>
          )}
          <span>● early stop</span>
        </p>
      )}
      <StreamLines
        series={lines}
        yDomain={axis.domain}
        yTicks={[...axis.ticks].sort((a, b) => TICK_PRIORITY.indexOf(a) - TICK_PRIORITY.indexOf(b))}
        yFormat={accuracyLabel}
        valueFormat={(e) => (e <= SMALLEST_ERROR ? '100%' : `${((1 - e) * 100).toFixed(2)}%`)}
        xName="iteration"
        logY
        xLabel="training iteration"
        yLabel="test accuracy (log scale of the error)"
        height={height}
        presenter={presenter}
        label={`Test accuracy vs training iteration, ${series.length} lines`}
      />
    </>
  );
}
