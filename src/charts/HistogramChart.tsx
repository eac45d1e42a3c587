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
  FONT,
  type HistogramLayer,
  Panel,
  panelModel,
  SURVIVOR_COLOR,
  WIDTH,
} from './HistogramPanel';
import './readouts.css';
import { formatShare } from './scales';
import { PRESENTER_ZOOM, useRenderedWidth } from './size';

const GAP = 12;

/**
 * Columns and each panel's viewBox for a grid `rendered` px wide (as CSS grid's auto-fit lays
 * it out): panels narrower than WIDTH px get fewer units, not smaller text; in presenter mode
 * every unit is PRESENTER_ZOOM px and the panels grow with the screen's height.
 */
export function panelGrid(
  rendered: number | null,
  presenter: boolean,
  screenHeight: number,
  panels: number,
): { columns: number; minColumn: number; width: number; height: number } {
  const minColumn = presenter ? 300 : 220;
  const height = presenter ? Math.max(150, Math.round((screenHeight * 0.4) / PRESENTER_ZOOM)) : 150;
  if (rendered === null || rendered <= 0) return { columns: 0, minColumn, width: WIDTH, height };
  // auto-fit drops the empty tracks: three panels on a wide screen share its width.
  const fit = Math.floor((rendered + GAP) / (minColumn + GAP));
  const columns = Math.max(1, Math.min(panels, fit));
  const px = (rendered - GAP * (columns - 1)) / columns;
  const width = presenter ? px / PRESENTER_ZOOM : Math.min(WIDTH, px);
  return { columns, minColumn, width: Math.round(width), height };
}

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
  /** Whose survivors blue draws and what values they start from; default θ0 (the ticket's). */
  blue?: SurvivorKey;
}

/**
 * The words of the blue series (issue 16: each variant bins its own starting values at its own
 * mask): whose survivors, their values in short ("a fresh Glorot draw"), and whether those are
 * θ0 itself, which names the x axis.
 */
export interface SurvivorKey {
  whose?: string;
  values: string;
  theta0: boolean;
}

const THETA0: SurvivorKey = { values: 'θ0', theta0: true };

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
  blue = THETA0,
}: HistogramChartProps) {
  const [gridRef, rendered, screen] = useRenderedWidth<HTMLDivElement>();
  const grid = panelGrid(rendered, presenter, screen, layers.length);
  const h = height ?? grid.height;
  const w = grid.width;
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const models = useMemo(
    () => layers.map((l) => panelModel(l, widths, w - 3.5 * FONT, h - 2 * (FONT + 10), FONT)),
    [layers, widths, w, h],
  );
  const shown = cursor ? models[cursor.row] : undefined;
  const survivors = blue.whose ? `the survivors of ${blue.whose}` : 'the survivors';
  const x = blue.theta0 ? 'θ0' : 'initial weight';
  return (
    <figure
      data-testid="histogram-chart"
      aria-label={`Histograms of initial weights per layer: grey, θ0 of all the layer’s weights; blue, ${survivors} (${blue.values}), scaled to their own peak`}
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
            ref={gridRef}
            style={{
              display: 'grid',
              gridTemplateColumns: `repeat(auto-fit, minmax(${grid.minColumn}px, 1fr))`,
              gap: GAP,
            }}
          >
            {models.map((m, i) => (
              <Panel
                key={m.key}
                m={m}
                row={i}
                width={w}
                height={h}
                cursor={cursor}
                onCursor={setCursor}
              />
            ))}
          </div>
          <div style={{ fontSize: '0.85em', marginTop: 4 }} aria-hidden="true">
            <Swatch color={ALL_COLOR} label="all θ0 of the layer" />
            <Swatch
              color={SURVIVOR_COLOR}
              label={`${survivors}: ${blue.values} (scaled to their own peak)`}
            />
            <span style={{ opacity: 0.75 }}>x: initial weight{blue.theta0 ? ' θ0' : ''}</span>
          </div>
          <p className="chart-readout" data-testid="histogram-readout" aria-live="polite">
            {shown && cursor
              ? binReadout(shown, cursor.col, x)
              : 'Hover over a panel, or focus it and press ← →, for a bin’s counts.'}
          </p>
          <DataTable
            testId="histogram-data"
            summary="Data: survivors per layer, and how many sit near zero"
            columns={[
              'layer',
              'survivors',
              'of all θ0',
              `survivors near zero (|${x}| < σ/2)`,
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
