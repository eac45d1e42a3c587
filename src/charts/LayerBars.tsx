/**
 * Chart 4: the fraction of each layer's weights remaining, round by round, as grouped bars.
 *
 * Lean SVG like the other live charts. recharts drew it before; in a main-thread trace of a run
 * its internal store re-rendered the bar chart in an animation-frame task of 40–50 ms when the
 * first round completed, the last long task left on the streaming path (issue 3).
 *
 * Hover a bar, or focus the chart and press the arrows (← → rounds, ↑ ↓ layers), for its exact
 * share; a table of every round is its text alternative (issue 15).
 */
import { scaleBand, scaleLinear } from 'd3';
import { memo, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { type Cursor, moveCursor } from './cursor';
import { DataTable } from './DataTable';
import { LineSwatch } from './LineSwatch';
import './readouts.css';
import { chartBox, useRenderedWidth } from './size';

export interface LayerBarsRound {
  round: number;
  /** Fraction of each layer's weights remaining, in layer order. */
  layers: readonly number[];
}

export const LAYER_COLORS = ['#1f5fd6', '#2a9d8f', '#b07d00', '#e76f51'];
/** The design width, in SVG units (src/charts/size.ts picks the drawn one). */
const BASE_W = 640;
const M = { top: 10, right: 16, bottom: 40, left: 56 };
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export const LayerBars = memo(function LayerBars({
  rounds,
  layerNames,
  height: designHeight = 220,
  presenter = false,
}: {
  rounds: readonly LayerBarsRound[];
  layerNames: readonly string[];
  height?: number;
  /** Projector size: larger text at a fixed zoom, as tall as the screen allows. */
  presenter?: boolean;
}) {
  const [svgRef, rendered, screen] = useRenderedWidth<SVGSVGElement>();
  const { width: W, height } = chartBox(rendered, BASE_W, designHeight, presenter, screen);
  const x = useMemo(
    () =>
      scaleBand<number>()
        .domain(rounds.map((r) => r.round))
        .range([M.left, W - M.right])
        .paddingInner(0.2)
        .paddingOuter(0.1),
    [rounds, W],
  );
  const inner = useMemo(
    () =>
      scaleBand<number>()
        .domain(layerNames.map((_, i) => i))
        .range([0, x.bandwidth()])
        .paddingInner(0.08),
    [layerNames, x],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, 1])
        .range([height - M.bottom, M.top])
        .clamp(true),
    [height],
  );
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const readoutId = useId();
  const name = (i: number) => layerNames[i] ?? `layer ${i + 1}`;
  // The keyboard's first press reads the latest round, the one the caption speaks of.
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    const start = { col: rounds.length - 1, row: 0 };
    const next = moveCursor(e.key, cursor, rounds.length, layerNames.length, start);
    if (!next) return;
    // The arrows are the chart's while it has focus: the lab's own keys must not act as well.
    e.preventDefault();
    e.stopPropagation();
    setCursor(next);
  };
  const picked = cursor ? rounds[cursor.col] : undefined;
  const value = cursor && picked ? picked.layers[cursor.row] : undefined;
  // At 30 rounds every label would collide: one label per ~28 units (ten on a desk screen).
  const labels = Math.max(2, Math.min(10, Math.floor((W - M.left - M.right) / 28)));
  const labelEvery = Math.max(1, Math.ceil(rounds.length / labels));
  return (
    <>
      <p className="legend">
        {layerNames.map((name, i) => (
          <span key={name}>
            <LineSwatch kind="box" color={LAYER_COLORS[i % LAYER_COLORS.length]!} /> {name}
          </span>
        ))}
      </p>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={`weights remaining per layer, ${rounds.length} rounds`}
        aria-describedby={readoutId}
        className="layer-bars chart-focus"
        tabIndex={0}
        onKeyDown={onKey}
        onBlur={() => setCursor(null)}
        onMouseLeave={() => setCursor(null)}
      >
        <g className="grid" stroke="#d8dce4" strokeDasharray="3 3">
          {Y_TICKS.map((t) => (
            <line key={t} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          ))}
        </g>
        <g className="axis" fontSize={12} fill="#596172">
          {Y_TICKS.map((t) => (
            <text key={t} x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {Math.round(t * 100)}%
            </text>
          ))}
          {rounds.map((r, i) =>
            i % labelEvery === 0 ? (
              <text
                key={r.round}
                x={x(r.round)! + x.bandwidth() / 2}
                y={height - M.bottom + 16}
                textAnchor="middle"
              >
                {r.round}
              </text>
            ) : null,
          )}
          <text x={(M.left + W - M.right) / 2} y={height - 6} textAnchor="middle">
            round
          </text>
        </g>
        {rounds.map((r, col) => (
          <g key={r.round} transform={`translate(${x(r.round)!},0)`}>
            {r.layers.map((v, i) => (
              <rect
                key={i}
                x={inner(i)}
                y={y(v)}
                width={inner.bandwidth()}
                height={y(0) - y(v)}
                fill={LAYER_COLORS[i % LAYER_COLORS.length]}
                stroke={cursor?.col === col && cursor.row === i ? '#ff2d55' : undefined}
                strokeWidth={2}
                data-testid="layer-bar"
                onMouseEnter={() => setCursor({ col, row: i })}
              >
                <title>{`round ${r.round}, ${name(i)}: ${pct(v)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <p
        className="chart-readout"
        id={readoutId}
        data-testid="layer-bars-readout"
        aria-live="polite"
      >
        {picked && value !== undefined
          ? `round ${picked.round}, ${name(cursor!.row)}: ${pct(value)} of its weights remain`
          : 'Hover a bar, or focus the chart and press the arrows, for its exact share.'}
      </p>
      <DataTable
        testId="layer-bars-data"
        summary="Data: weights remaining per layer, every round"
        columns={['round', ...layerNames]}
        rows={rounds.map((r) => [r.round, ...r.layers.map(pct)])}
      />
    </>
  );
});
