/**
 * Chart 4: the fraction of each layer's weights remaining, round by round, as grouped bars.
 *
 * Lean SVG like the other live charts. recharts drew it before; in a main-thread trace of a run
 * its internal store re-rendered the bar chart in an animation-frame task of 40–50 ms when the
 * first round completed, the last long task left on the streaming path (issue 3).
 */
import { scaleBand, scaleLinear } from 'd3';
import { memo, useMemo } from 'react';

export interface LayerBarsRound {
  round: number;
  /** Fraction of each layer's weights remaining, in layer order. */
  layers: readonly number[];
}

export const LAYER_COLORS = ['#1f5fd6', '#2a9d8f', '#e9c46a', '#e76f51'];
const W = 640;
const M = { top: 10, right: 16, bottom: 40, left: 56 };
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export const LayerBars = memo(function LayerBars({
  rounds,
  layerNames,
  height = 220,
}: {
  rounds: readonly LayerBarsRound[];
  layerNames: readonly string[];
  height?: number;
}) {
  const x = useMemo(
    () =>
      scaleBand<number>()
        .domain(rounds.map((r) => r.round))
        .range([M.left, W - M.right])
        .paddingInner(0.2)
        .paddingOuter(0.1),
    [rounds],
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
  // At 30 rounds every label would collide; show about ten.
  const labelEvery = Math.max(1, Math.ceil(rounds.length / 10));
  return (
    <>
      <p className="legend">
        {layerNames.map((name, i) => (
          <span key={name} style={{ color: LAYER_COLORS[i % LAYER_COLORS.length] }}>
            ■ {name}
          </span>
        ))}
      </p>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={`weights remaining per layer, ${rounds.length} rounds`}
        className="layer-bars"
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
        {rounds.map((r) => (
          <g key={r.round} transform={`translate(${x(r.round)!},0)`}>
            {r.layers.map((v, i) => (
              <rect
                key={i}
                x={inner(i)}
                y={y(v)}
                width={inner.bandwidth()}
                height={y(0) - y(v)}
                fill={LAYER_COLORS[i % LAYER_COLORS.length]}
                data-testid="layer-bar"
              >
                <title>{`round ${r.round}, ${layerNames[i] ?? `layer ${i + 1}`}: ${pct(v)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
    </>
  );
});
