/**
 * Charts 2 and 3 (the paper's Figure 4): a per-round measure of every variant against P_m, on a
 * log-scaled axis that runs from 100% down to 1% as pruning goes on.
 *
 * Drawn with the lean SVG chart, not recharts: on this project's 2-core machine recharts' line
 * charts made every round completion 2–3 main-thread tasks of 50–130 ms (measured by hiding one
 * figure at a time); the lean chart keeps them under 50 ms.
 */
import { useMemo } from 'react';
import { LineSwatch } from './LineSwatch';
import { type StreamSeries, StreamLines, type XAxisSpec } from './StreamLines';
import { xyOf } from './xy';

export interface PmSeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  points: readonly { remainingPct: number; value: number }[];
  /** Over seeds: the band around the mean (±1 sd) and every seed's own value. */
  band?: readonly { remainingPct: number; lo: number; hi: number }[];
  scatter?: readonly { remainingPct: number; value: number }[];
}

const TICKS = [100, 51.3, 21.1, 7, 3.6, 1, 0.5, 0.2, 0.1, 0.05];

/** 100% down to 1%, or further when a run prunes deeper (30 rounds leave ~0.1%). */
function xAxisFor(minPct: number): XAxisSpec {
  const low = Math.min(1, 10 ** Math.floor(Math.log10(Math.max(minPct, 1e-3))));
  return {
    log: true,
    domain: [low, 100],
    reversed: true,
    ticks: TICKS.filter((t) => t >= low),
    // Three significant digits: the ticks as written, and a round's P_m (64.06386…%) as 64.1%.
    format: (v) => `${Number(v.toPrecision(3))}%`,
  };
}

/** A padded domain around the values, and ~5 round ticks inside it. */
function yAxisFor(values: number[]): { domain: [number, number]; ticks: number[] } {
  if (values.length === 0) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) [lo, hi] = [lo - Math.abs(lo) * 0.05 - 1e-3, hi + Math.abs(hi) * 0.05 + 1e-3];
  const pad = (hi - lo) * 0.1;
  const raw = (hi - lo + 2 * pad) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const from = Math.floor((lo - pad) / step) * step;
  const to = Math.ceil((hi + pad) / step) * step;
  const ticks: number[] = [];
  for (let t = from; t <= to + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { domain: [from, to], ticks };
}

export function PmChart({
  series,
  yLabel,
  format,
  height = 240,
  spreadKey,
  presenter = false,
  yAxis,
  yGuides,
  valueFormat,
}: {
  series: PmSeries[];
  /** Projector size (StreamLines). */
  presenter?: boolean;
  yLabel: string;
  format: (v: number) => string;
  height?: number;
  /** What the band and faint dots are, in words, when the series carry them. */
  spreadKey?: string;
  /** A fixed y axis (else padded around the values), and labelled reference lines on it. */
  yAxis?: { domain: [number, number]; ticks: number[] };
  yGuides?: readonly { y: number; label: string }[];
  /** The readout's and the data table's values (`format` by default). */
  valueFormat?: (v: number) => string;
}) {
  const lines = useMemo<StreamSeries[]>(
    () =>
      series.map((s) => ({
        key: s.key,
        label: s.label,
        color: s.color,
        dashed: s.dashed,
        points: xyOf(s.points, 'remainingPct', 'value'),
        ...(s.band ? { band: s.band.map((b) => ({ x: b.remainingPct, lo: b.lo, hi: b.hi })) } : {}),
        ...(s.scatter ? { scatter: xyOf(s.scatter, 'remainingPct', 'value') } : {}),
      })),
    [series],
  );
  // The axis holds every seed and the whole band, not the means alone.
  const axis = useMemo(
    () =>
      yAxis ??
      yAxisFor(
        lines.flatMap((l) => [
          ...l.points.map((p) => p.y),
          ...(l.scatter ?? []).map((p) => p.y),
          ...(l.band ?? []).flatMap((b) => [b.lo, b.hi]),
        ]),
      ),
    [lines, yAxis],
  );
  const minPct = Math.min(100, ...lines.flatMap((l) => l.points.map((p) => p.x)));
  const xAxis = useMemo(() => xAxisFor(minPct), [minPct]);
  return (
    <>
      <p className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <LineSwatch color={s.color} dashed={s.dashed} /> {s.label}
          </span>
        ))}
        <span className="muted">y: {yLabel}</span>
        {spreadKey && (
          <span className="muted" data-testid="spread-key">
            {spreadKey}
          </span>
        )}
      </p>
      <StreamLines
        series={lines}
        xAxis={xAxis}
        dots
        yDomain={axis.domain}
        yTicks={axis.ticks}
        yFormat={format}
        {...(valueFormat ? { valueFormat } : {})}
        {...(yGuides ? { yGuides } : {})}
        xLabel="weights remaining (P_m, log scale)"
        xName="P_m"
        yLabel={yLabel}
        height={height}
        presenter={presenter}
        label={`${yLabel} vs weights remaining, ${series.length} variants`}
      />
    </>
  );
}
