/**
 * The seed paper's Figure 3: per weight layer, the initial weights θ0 of the survivors drawn over
 * the θ0 of the whole layer, on bin edges fixed across rounds. A dumb view: plain arrays in,
 * React-rendered SVG out; d3 only supplies the scales and ticks.
 */
import { memo, useMemo } from 'react';
import { scaleLinear } from 'd3';
import { LENET_300_100 } from '../engine/config';
import { formatShare, histogramBars, sumCounts, type Bar } from './scales';

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

export interface HistogramChartProps {
  layers: HistogramLayer[];
  title?: string;
  /** Panel height in SVG units at a 320-unit width; panels scale with their column. */
  height?: number;
  presenter?: boolean;
  /** Layer widths, input first, for the panel titles ("784→300"). Default LeNet-300-100. */
  widths?: readonly number[];
  caption?: string;
}

const WIDTH = 320;
const ALL_COLOR = '#c9ced8';
const SURVIVOR_COLOR = '#2452c8';
export const HISTOGRAM_CAPTION =
  'Grey: θ0 of all the layer’s weights; blue: θ0 of the survivors, scaled to their own peak. Watch the survivors split in two as the small |θ0| are pruned away.';

function layerName(layer: number, widths: readonly number[]): string {
  const from = widths[layer],
    to = widths[layer + 1];
  return from !== undefined && to !== undefined
    ? `layer ${layer + 1} (${from}→${to})`
    : `layer ${layer + 1}`;
}

interface PanelModel {
  key: number;
  title: string;
  share: number;
  surviving: number;
  total: number;
  allBars: Bar[];
  survivorBars: Bar[];
  ticks: { x: number; label: string }[];
  zeroX: number | null;
}

function panelModel(
  l: HistogramLayer,
  widths: readonly number[],
  plotW: number,
  plotH: number,
): PanelModel {
  const lo = l.edges[0] ?? -1;
  const hi = l.edges[l.edges.length - 1] ?? 1;
  const x = scaleLinear().domain([lo, hi]).range([0, plotW]);
  const total = sumCounts(l.all);
  const surviving = sumCounts(l.surviving);
  const share = total > 0 ? surviving / total : 0;
  const fmt = x.tickFormat(5);
  return {
    key: l.layer,
    title: `${layerName(l.layer, widths)} · ${formatShare(share)} survive`,
    share,
    surviving,
    total,
    allBars: histogramBars(l.edges, l.all, x, plotH),
    survivorBars: histogramBars(l.edges, l.surviving, x, plotH),
    ticks: x.ticks(5).map((v) => ({ x: x(v), label: fmt(v) })),
    zeroX: lo < 0 && hi > 0 ? x(0) : null,
  };
}

function Panel({ m, height, presenter }: { m: PanelModel; height: number; presenter: boolean }) {
  const font = presenter ? 17 : 12;
  const margin = { top: font + 10, right: 10, bottom: font + 10, left: 10 };
  const plotH = height - margin.top - margin.bottom;
  return (
    <svg
      data-testid="histogram-layer"
      data-surviving={m.surviving}
      data-total={m.total}
      viewBox={`0 0 ${WIDTH} ${height}`}
      style={{ width: '100%', height: 'auto', display: 'block' }}
      aria-hidden="true"
    >
      <text
        x={WIDTH / 2}
        y={font}
        textAnchor="middle"
        fontSize={font}
        fontWeight={600}
        fill="currentColor"
        data-testid="histogram-title"
      >
        {m.title}
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
        <line
          x1={0}
          x2={WIDTH - margin.left - margin.right}
          y1={plotH}
          y2={plotH}
          stroke="currentColor"
          strokeOpacity={0.6}
        />
        {m.ticks.map((t) => (
          <text
            key={t.label}
            x={t.x}
            y={plotH + font + 2}
            textAnchor="middle"
            fontSize={font * 0.85}
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

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, marginRight: 12 }}>
      <span
        style={{
          width: 12,
          height: 12,
          background: color,
          display: 'inline-block',
          borderRadius: 2,
        }}
      />
      {label}
    </span>
  );
}

function HistogramChartView({
  layers,
  title,
  height,
  presenter = false,
  widths = LENET_300_100,
  caption = HISTOGRAM_CAPTION,
}: HistogramChartProps) {
  const h = height ?? (presenter ? 200 : 150);
  const font = presenter ? 17 : 12;
  const models = useMemo(
    () => layers.map((l) => panelModel(l, widths, WIDTH - 20, h - 2 * (font + 10))),
    [layers, widths, h, font],
  );
  const label =
    models.length === 0
      ? 'Histograms of initial weights θ0: no round yet.'
      : `Histograms of initial weights θ0 per layer, survivors scaled to their own peak: ${models.map((m) => m.title).join('; ')}.`;
  return (
    <figure
      data-testid="histogram-chart"
      role="img"
      aria-label={label}
      style={{ margin: 0, fontSize: presenter ? '1.25rem' : undefined }}
    >
      {title && <h3 style={{ margin: '0 0 4px', fontSize: '1em' }}>{title}</h3>}
      <figcaption className="caption">{caption}</figcaption>
      {models.length === 0 ? (
        <p data-testid="histogram-empty" className="caption">
          No histograms yet: they arrive at the end of each round.
        </p>
      ) : (
        <>
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: `repeat(auto-fit, minmax(${presenter ? 320 : 220}px, 1fr))`,
              gap: 12,
            }}
          >
            {models.map((m) => (
              <Panel key={m.key} m={m} height={h} presenter={presenter} />
            ))}
          </div>
          <div style={{ fontSize: '0.85em', marginTop: 4 }} aria-hidden="true">
            <Swatch color={ALL_COLOR} label="all θ0 of the layer" />
            <Swatch color={SURVIVOR_COLOR} label="survivors’ θ0 (scaled to their own peak)" />
            <span style={{ opacity: 0.75 }}>x: initial weight θ0</span>
          </div>
        </>
      )}
    </figure>
  );
}

/** Memoised: the page re-renders often while training; the histograms change once a round. */
export const HistogramChart = memo(HistogramChartView);
