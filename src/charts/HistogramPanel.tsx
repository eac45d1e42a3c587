/**
 * One layer's panel of Figure 3 (HistogramChart): its model from the counts, and its SVG, a
 * focusable image whose bins the arrow keys and the mouse read out.
 */
import { type KeyboardEvent, type MouseEvent } from 'react';
import { type ScaleLinear, scaleLinear } from 'd3';
import { type Cursor, moveCursor } from './cursor';
import {
  formatShare,
  histogramBars,
  sumCounts,
  survivorShape,
  type Bar,
  type SurvivorShape,
} from './scales';

export interface HistogramLayer {
  /** 0-based weight layer index (0 = input → first hidden). */
  layer: number;
  /** Bin edges over θ0, one more than the counts; the same in every round. */
  edges: ArrayLike<number>;
  /** θ0 counts of every weight in the layer. */
  all: ArrayLike<number>;
  /** θ0 counts of the weights the mask keeps. */
  surviving: ArrayLike<number>;
}

/** A panel's design width in SVG units; HistogramChart draws narrower ones on small screens. */
export const WIDTH = 320;
/** Text size in SVG units: presenter mode zooms the whole panel instead (src/charts/size.ts). */
export const FONT = 12;
export const ALL_COLOR = '#c9ced8';
export const SURVIVOR_COLOR = '#2452c8';

function layerName(layer: number, widths: readonly number[]): string {
  const from = widths[layer],
    to = widths[layer + 1];
  return from !== undefined && to !== undefined
    ? `layer ${layer + 1} (${from}→${to})`
    : `layer ${layer + 1}`;
}

export interface PanelModel {
  key: number;
  name: string;
  title: string;
  shape: SurvivorShape;
  /** Per bin: its θ0 range and counts, for the readout. */
  bins: { lo: string; hi: string; all: number; surviving: number }[];
  share: number;
  surviving: number;
  total: number;
  allBars: Bar[];
  survivorBars: Bar[];
  ticks: { x: number; label: string }[];
  zeroX: number | null;
}

/**
 * As many of d3's round ticks (at most 5) as fit side by side: "−0.05" at `font` units is ~3 em
 * wide, and d3 may return 9 ticks for a count of 5 (the issue's overlapping labels).
 */
function fittingTicks(x: ScaleLinear<number, number>, font: number): PanelModel['ticks'] {
  for (let count = 5; ; count--) {
    const fmt = x.tickFormat(count);
    const ticks = x.ticks(count).map((v) => ({ x: x(v), label: fmt(v) }));
    const widest = Math.max(0, ...ticks.map((t) => t.label.length)) * font * 0.62;
    const gaps = ticks.slice(1).map((t, i) => t.x - ticks[i]!.x);
    if (count <= 2 || gaps.every((g) => g >= widest + font * 0.5)) return ticks;
  }
}

export function panelModel(
  l: HistogramLayer,
  widths: readonly number[],
  plotW: number,
  plotH: number,
  font = FONT,
): PanelModel {
  const lo = l.edges[0] ?? -1;
  const hi = l.edges[l.edges.length - 1] ?? 1;
  const x = scaleLinear().domain([lo, hi]).range([0, plotW]);
  const total = sumCounts(l.all);
  const surviving = sumCounts(l.surviving);
  const share = total > 0 ? surviving / total : 0;
  const edge = (i: number) => (l.edges[i] ?? 0).toPrecision(2);
  const bins = Math.min(l.all.length, l.edges.length - 1);
  return {
    key: l.layer,
    name: layerName(l.layer, widths),
    title: `${layerName(l.layer, widths)} · ${formatShare(share)} survive`,
    shape: survivorShape(l),
    bins: Array.from({ length: bins }, (_, i) => ({
      lo: edge(i),
      hi: edge(i + 1),
      all: l.all[i] ?? 0,
      surviving: l.surviving[i] ?? 0,
    })),
    share,
    surviving,
    total,
    allBars: histogramBars(l.edges, l.all, x, plotH),
    survivorBars: histogramBars(l.edges, l.surviving, x, plotH),
    ticks: fittingTicks(x, font),
    zeroX: lo < 0 && hi > 0 ? x(0) : null,
  };
}

/** The readout's words for bin `bin` of a panel; `x` names the axis ("θ0", "initial weight"). */
export function binReadout(m: PanelModel, bin: number, x = 'θ0'): string {
  const b = m.bins[bin];
  if (!b) return '';
  return `${m.name}, ${x} from ${b.lo} to ${b.hi}: ${b.all.toLocaleString('en-US')} of all θ0, ${b.surviving.toLocaleString('en-US')} survive`;
}

export function Panel({
  m,
  row,
  width,
  height,
  cursor,
  onCursor,
}: {
  m: PanelModel;
  /** The panel's place in the grid, the cursor's row. */
  row: number;
  /** The viewBox, in SVG units. */
  width: number;
  height: number;
  cursor: Cursor | null;
  onCursor: (c: Cursor | null) => void;
}) {
  const font = FONT;
  // A title wider than a narrow panel (presenter mode, three across) breaks after its name.
  const [name, share] = m.title.split(' · ');
  const twoLines = share !== undefined && m.title.length * font * 0.64 > width - 8;
  const extra = twoLines ? font + 4 : 0;
  // Room at the sides for half of an edge tick's label ("−0.10").
  const margin = {
    top: font + 10 + extra,
    right: font * 1.75,
    bottom: font + 10,
    left: font * 1.75,
  };
  const plotH = height - (margin.top - extra) - margin.bottom;
  const plotW = width - margin.left - margin.right;
  const binW = m.bins.length > 0 ? plotW / m.bins.length : 0;
  const mine = cursor?.row === row ? cursor.col : null;
  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width <= 0 || binW <= 0) return;
    const bin = Math.floor((((e.clientX - r.left) / r.width) * width - margin.left) / binW);
    onCursor(bin >= 0 && bin < m.bins.length ? { row, col: bin } : null);
  };
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    // Left and right walk the bins (from the middle, θ0 = 0); up and down are the page's.
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') return;
    const at = mine === null ? null : { row: 0, col: mine };
    const next = moveCursor(e.key, at, m.bins.length, 1, { row: 0, col: m.bins.length >> 1 });
    if (!next) return;
    e.preventDefault();
    e.stopPropagation();
    onCursor({ row, col: next.col });
  };
  return (
    <svg
      data-testid="histogram-layer"
      data-surviving={m.surviving}
      data-total={m.total}
      viewBox={`0 0 ${width} ${height + extra}`}
      style={{ width: '100%', height: 'auto', display: 'block' }}
      className="chart-focus"
      role="img"
      aria-label={`${m.title}; ${Math.round(100 * m.shape.nearZeroSurvivors)}% of the survivors near zero, of all θ0 ${Math.round(100 * m.shape.nearZeroAll)}%. Arrow keys read out one bin.`}
      tabIndex={0}
      onMouseMove={onMove}
      onMouseLeave={() => onCursor(null)}
      onKeyDown={onKey}
      onBlur={() => onCursor(null)}
    >
      <text
        x={width / 2}
        y={font}
        textAnchor="middle"
        fontSize={font}
        fontWeight={600}
        fill="currentColor"
        data-testid="histogram-title"
      >
        {twoLines ? (
          <>
            <tspan>{name} · </tspan>
            <tspan x={width / 2} dy={font + 4}>
              {share}
            </tspan>
          </>
        ) : (
          m.title
        )}
      </text>
      <g transform={`translate(${margin.left},${margin.top})`}>
        {m.allBars.map((b) => (
          <rect
            key={b.bin}
            data-testid="bar-all"
            data-count={b.count}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            fill={ALL_COLOR}
          />
        ))}
        {m.survivorBars.map((b) => (
          <rect
            key={b.bin}
            data-testid="bar-surviving"
            data-count={b.count}
            x={b.x + 0.5}
            y={b.y}
            width={Math.max(0, b.width - 1)}
            height={b.height}
            fill={SURVIVOR_COLOR}
            fillOpacity={0.85}
          >
            <title>{`${b.count.toLocaleString()} survivors`}</title>
          </rect>
        ))}
        {mine !== null && (
          <rect
            data-testid="bin-cursor"
            x={mine * binW}
            y={0}
            width={binW}
            height={plotH}
            fill="none"
            stroke="#ff2d55"
            strokeWidth={1.5}
          />
        )}
        {m.zeroX !== null && (
          <line
            x1={m.zeroX}
            x2={m.zeroX}
            y1={0}
            y2={plotH}
            stroke="currentColor"
            strokeOpacity={0.35}
            strokeDasharray="3 3"
          />
        )}
        <line x1={0} x2={plotW} y1={plotH} y2={plotH} stroke="currentColor" strokeOpacity={0.6} />
        {m.ticks.map((t) => (
          <text
            key={t.label}
            x={t.x}
            y={plotH + font + 2}
            textAnchor="middle"
            fontSize={font}
            fill="currentColor"
            fillOpacity={0.75}
          >
            {t.label}
          </text>
        ))}
      </g>
    </svg>
  );
}
