/**
 * A lean SVG line chart for the two charts that update while points stream in (accuracy and
 * loss). recharts recomputes its whole selector pipeline for every series on every update (the
 * main-thread profile's top entry); here each series is one memoised <path>, so a new point
 * redraws only the series it belongs to, and the axes only when their domain moves.
 */
import { area, line, scaleLinear, scaleLog } from 'd3';
import { memo, useMemo } from 'react';
import { readoutText, valuesAt } from './readout';
import { niceTicks, spacedTicks } from './ticks';
import { useReadout } from './useReadout';
import { chartBox, useRenderedWidth } from './size';
import { StreamAxes } from './StreamAxes';
import { StreamTable } from './StreamTable';

export interface StreamSeries {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  width?: number;
  opacity?: number;
  /** x, y pairs in x order; the array's identity changes when points are appended. */
  points: readonly { x: number; y: number }[];
  /** A marked point (the early stop). */
  marker?: { x: number; y: number };
  /** A shaded band around the line (over seeds: mean ± 1 sd), in x order. */
  band?: readonly { x: number; lo: number; hi: number }[];
  /** Faint points beside the line (each seed's own value). */
  scatter?: readonly { x: number; y: number }[];
}

/** The x axis: linear from 0 to the data's last x (default), or a fixed log scale (P_m). */
export interface XAxisSpec {
  log: true;
  domain: [number, number];
  /** Largest value on the right, or (reversed) on the left: P_m runs 100% → 1%. */
  reversed?: boolean;
  ticks: readonly number[];
  format: (v: number) => string;
}

export interface StreamLinesProps {
  series: readonly StreamSeries[];
  xAxis?: XAxisSpec;
  /** Draw each point as a dot too (few points per line). */
  dots?: boolean;
  yDomain: [number, number];
  yTicks: readonly number[];
  yFormat: (v: number) => string;
  /** The readout's y values, exact (the ticks' format by default). */
  valueFormat?: (v: number) => string;
  xLabel: string;
  /** The x axis' name in the readout ("iteration", "P_m"); the label's first word by default. */
  xName?: string;
  /** The y axis' title, drawn along it. */
  yLabel?: string;
  logY?: boolean;
  /** Labelled horizontal reference lines (chance level), drawn under the data. */
  yGuides?: readonly { y: number; label: string }[];
  height?: number;
  /** Projector size: larger text at a fixed zoom, as tall as the screen allows. */
  presenter?: boolean;
  /** Accessible summary of the chart. */
  label: string;
}

/** The design width, in SVG units: the chart's size on a desk screen. */
const BASE_W = 640;
const MARGIN = { top: 10, right: 16, bottom: 40, left: 64 };
/** The least distance between two y tick labels, in SVG units: 12-unit text and a gap. */
const Y_TICK_GAP = 16;

const Path = memo(function Path({
  d,
  color,
  dashed,
  width,
  opacity,
  title,
}: {
  d: string;
  color: string;
  dashed: boolean;
  width: number;
  opacity: number;
  title: string;
}) {
  return (
    <path
      d={d}
      fill="none"
      stroke={color}
      strokeWidth={width}
      strokeOpacity={opacity}
      strokeDasharray={dashed ? '5 4' : undefined}
      data-testid="stream-line"
    >
      <title>{title}</title>
    </path>
  );
});

export const StreamLines = memo(function StreamLines({
  series,
  xAxis,
  dots = false,
  yDomain,
  yTicks,
  yFormat,
  valueFormat = yFormat,
  xLabel,
  xName,
  yLabel,
  logY = false,
  yGuides = [],
  height: designHeight = 300,
  presenter = false,
  label,
}: StreamLinesProps) {
  const [frame, rendered, screen] = useRenderedWidth<HTMLDivElement>();
  const { width: W, height } = chartBox(rendered, BASE_W, designHeight, presenter, screen);
  // The y axis' title runs along the top, where it always fits; rotated, it ran past a short
  // chart's ends and over its key (issue 15, presenter mode).
  const M = yLabel ? { ...MARGIN, top: 28 } : MARGIN;
  const xMax = useMemo(
    () => Math.max(1, ...series.map((s) => s.points[s.points.length - 1]?.x ?? 0)),
    [series],
  );
  const x = useMemo(() => {
    if (!xAxis)
      return scaleLinear()
        .domain([0, xMax])
        .range([M.left, W - M.right]);
    const range: [number, number] = xAxis.reversed ? [W - M.right, M.left] : [M.left, W - M.right];
    return scaleLog().domain(xAxis.domain).range(range).clamp(true);
  }, [xAxis, xMax, W, M.left, M.right]);
  const y = useMemo(
    () =>
      (logY ? scaleLog() : scaleLinear())
        .domain(yDomain)
        .range([height - M.bottom, M.top])
        .clamp(true),
    [logY, yDomain, height, M.top, M.bottom],
  );
  const yShown = useMemo(() => spacedTicks(yTicks, y, Y_TICK_GAP), [yTicks, y]);
  const draw = useMemo(
    () =>
      line<{ x: number; y: number }>()
        .x((p) => x(p.x))
        .y((p) => y(p.y)),
    [x, y],
  );
  const shade = useMemo(
    () =>
      area<{ x: number; lo: number; hi: number }>()
        .x((p) => x(p.x))
        .y0((p) => y(p.lo))
        .y1((p) => y(p.hi)),
    [x, y],
  );
  // A label such as "10,000" needs ~70 units: fewer ticks on a narrow chart.
  const xCount = Math.max(2, Math.min(6, Math.floor((W - M.left - M.right) / 70)));
  const xTicks = useMemo(
    () => (xAxis ? [...xAxis.ticks] : niceTicks(xMax, xCount)),
    [xAxis, xMax, xCount],
  );
  const xFormat = xAxis?.format ?? ((t: number) => t.toLocaleString('en-US'));
  const { at, frameProps } = useReadout(series, x, W);
  const name = xName ?? xLabel.split(' ').at(-1)!;
  return (
    <div
      ref={frame}
      className="chart-frame"
      tabIndex={0}
      role="group"
      aria-label={`${label}. Arrow keys read the values.`}
      {...frameProps}
    >
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={label}
        className="stream-lines"
      >
        <StreamAxes
          x={x}
          y={y}
          box={{ ...M, width: W, height }}
          xTicks={xTicks}
          yTicks={yShown}
          xFormat={xFormat}
          yFormat={yFormat}
          xLabel={xLabel}
          {...(yLabel ? { yLabel } : {})}
          yGuides={yGuides}
        />
        <g>
          {series.map((s) =>
            s.band?.length ? (
              <path
                key={`b${s.key}`}
                d={shade(s.band as { x: number; lo: number; hi: number }[]) ?? ''}
                fill={s.color}
                fillOpacity={0.14}
                stroke="none"
                data-testid="stream-band"
              >
                <title>{`${s.label}: band`}</title>
              </path>
            ) : null,
          )}
          {series.flatMap((s) =>
            (s.scatter ?? []).map((p, i) => (
              <circle
                key={`s${s.key}-${i}`}
                cx={x(p.x)}
                cy={y(p.y)}
                r={2.5}
                fill={s.color}
                fillOpacity={0.4}
                data-testid="stream-seed"
              >
                <title>{`${s.label}, one seed: ${yFormat(p.y)} at ${xFormat(p.x)}`}</title>
              </circle>
            )),
          )}
          {series.map((s) => (
            <Path
              key={s.key}
              d={s.points.length ? (draw(s.points as { x: number; y: number }[]) ?? '') : ''}
              color={s.color}
              dashed={s.dashed ?? false}
              width={s.width ?? 2}
              opacity={s.opacity ?? 1}
              title={s.label}
            />
          ))}
          {series.map((s) =>
            s.marker ? (
              <circle
                key={`m${s.key}`}
                cx={x(s.marker.x)}
                cy={y(s.marker.y)}
                r={4}
                fill={s.color}
                stroke="#fff"
                data-testid="stream-marker"
              />
            ) : null,
          )}
          {dots &&
            series.flatMap((s) =>
              s.points.map((p, i) => (
                <circle
                  key={`d${s.key}-${i}`}
                  cx={x(p.x)}
                  cy={y(p.y)}
                  r={3}
                  fill="#fff"
                  stroke={s.color}
                  strokeWidth={1.5}
                >
                  <title>{`${s.label}: ${yFormat(p.y)} at ${xFormat(p.x)}`}</title>
                </circle>
              )),
            )}
          {at !== undefined && (
            <g className="cursor" data-testid="readout-cursor">
              <line x1={x(at)} x2={x(at)} y1={M.top} y2={height - M.bottom} stroke="#1b2230" />
              {series.flatMap((s) =>
                valuesAt([s], at).map((v) => (
                  <circle
                    key={`c${s.key}`}
                    cx={x(at)}
                    cy={y(v.y)}
                    r={4}
                    fill={s.color}
                    stroke="#1b2230"
                  />
                )),
              )}
            </g>
          )}
        </g>
      </svg>
      <p className="readout" aria-live="polite" data-testid="readout">
        {at === undefined
          ? 'Point at the chart, or focus it and press ← →, to read exact values.'
          : readoutText(series, at, name, xFormat, valueFormat)}
      </p>
      <StreamTable series={series} xName={name} xFormat={xFormat} valueFormat={valueFormat} />
    </div>
  );
});
