/**
 * The seed paper's Figure 3: per weight layer, the initial weights θ0 of the survivors drawn over
 * the θ0 of the whole layer, on bin edges fixed across rounds. A dumb view: plain arrays in,
 * React-rendered SVG out; d3 only supplies the scales and ticks. Hover or the arrow keys on a
 * focused panel read out a bin's exact counts; a table per layer is its text alternative.
 */
import { memo, useMemo, useState } from 'react';
import { LENET_300_100 } from '../engine/config';
import type { Cursor } from './cursor';
import { DataTable } from './DataTable';
import {
  ALL_COLOR,
  binReadout,
  type HistogramLayer,
  Panel,
  panelModel,
  SURVIVOR_COLOR,
  WIDTH,
} from './HistogramPanel';
import './readouts.css';
import { formatShare } from './scales';

export type { HistogramLayer };

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

/** The default caption says only how to read the panels; the lab passes one computed from them. */
export const HISTOGRAM_CAPTION =
  'Grey: θ0 of all the layer’s weights; blue: θ0 of the survivors, scaled to their own peak.';

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
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const models = useMemo(
    () => layers.map((l) => panelModel(l, widths, WIDTH - 20, h - 2 * (font + 10))),
    [layers, widths, h, font],
  );
  const shown = cursor ? models[cursor.row] : undefined;
  return (
    <figure
      data-testid="histogram-chart"
      aria-label="Histograms of initial weights θ0 per layer, survivors scaled to their own peak"
      style={{ margin: 0, fontSize: presenter ? '1.25rem' : undefined }}
    >
      {title && <h3 style={{ margin: '0 0 4px', fontSize: '1em' }}>{title}</h3>}
      <figcaption className="caption" data-testid="histogram-caption">
        {caption}
      </figcaption>
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
            {models.map((m, i) => (
              <Panel
                key={m.key}
                m={m}
                row={i}
                height={h}
                presenter={presenter}
                cursor={cursor}
                onCursor={setCursor}
              />
            ))}
          </div>
          <div style={{ fontSize: '0.85em', marginTop: 4 }} aria-hidden="true">
            <Swatch color={ALL_COLOR} label="all θ0 of the layer" />
            <Swatch color={SURVIVOR_COLOR} label="survivors’ θ0 (scaled to their own peak)" />
            <span style={{ opacity: 0.75 }}>x: initial weight θ0</span>
          </div>
          <p className="chart-readout" data-testid="histogram-readout" aria-live="polite">
            {shown && cursor
              ? binReadout(shown, cursor.col)
              : 'Hover over a panel, or focus it and press ← →, for a bin’s counts.'}
          </p>
          <DataTable
            testId="histogram-data"
            summary="Data: survivors per layer, and how many sit near zero"
            columns={[
              'layer',
              'survivors',
              'of all θ0',
              'survivors near zero (|θ0| < σ/2)',
              'all θ0 near zero',
              'dip at zero',
            ]}
            rows={models.map((m) => [
              m.name,
              m.surviving.toLocaleString('en-US'),
              m.total.toLocaleString('en-US'),
              formatShare(m.shape.nearZeroSurvivors),
              formatShare(m.shape.nearZeroAll),
              m.shape.bimodal ? 'yes' : 'no',
            ])}
          />
        </>
      )}
    </figure>
  );
}

/** Memoised: the page re-renders often while training; the histograms change once a round. */
export const HistogramChart = memo(HistogramChartView);
