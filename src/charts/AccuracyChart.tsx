/**
 * Chart 1: test accuracy vs training iteration, one line per (round, variant), coloured by P_m,
 * with each line's early-stop iteration marked. A dumb view over plain arrays, drawn with the
 * lean streaming chart (it updates several times a second during a run).
 */
import { useMemo } from 'react';
import type { EarlyStop } from '../engine/metrics';
import { type StreamSeries, StreamLines } from './StreamLines';
import { xyOf } from './xy';

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

/** Whole-percent ticks from the floor to 100%: every 2% near the top, coarser below. */
export function ticksFrom(floor: number): number[] {
  const step = 1 - floor > 0.2 ? 0.1 : 1 - floor > 0.1 ? 0.05 : 0.02;
  const out: number[] = [];
  for (let t = 1; t >= floor - 1e-9; t -= step) out.unshift(Math.round(t * 100) / 100);
  return out;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

export function AccuracyChart({
  series,
  height = 300,
  floor = 0.9,
}: {
  series: AccuracySeries[];
  height?: number;
  floor?: number;
}) {
  const lines = useMemo<StreamSeries[]>(
    () =>
      series.map((s) => ({
        key: s.key,
        label: s.label,
        color: s.color,
        dashed: s.dashed,
        width: s.dashed ? 1.5 : 2,
        points: xyOf(s.points, 'iteration', 'testAccuracy'),
        ...(s.earlyStop
          ? { marker: { x: s.earlyStop.iteration, y: s.earlyStop.testAccuracy } }
          : {}),
        ...(s.band ? { band: s.band.map((b) => ({ x: b.iteration, lo: b.lo, hi: b.hi })) } : {}),
      })),
    [series],
  );
  const ticks = useMemo(() => ticksFrom(floor), [floor]);
  const domain = useMemo<[number, number]>(() => [floor, 1], [floor]);
  return (
    <StreamLines
      series={lines}
      yDomain={domain}
      yTicks={ticks}
      yFormat={percent}
      xLabel="training iteration"
      height={height}
      label={`Test accuracy vs training iteration, ${series.length} lines`}
    />
  );
}
