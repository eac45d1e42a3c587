/**
 * The first layer's surviving connections per input pixel, as a 28×28 heatmap drawn into a
 * canvas (784 cells: one putImageData per round, no DOM nodes per cell). A dumb view.
 *
 * The colour scale runs from 0 to the most any shown pixel keeps (issue 15: on a fixed 0–300
 * scale a late round's map was one uniform dark). Hover or the arrow keys read out a pixel's
 * exact count; a table by distance from the edge is its text alternative.
 */
import {
  memo,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { DataTable } from './DataTable';
import { type Cursor, moveCursor } from './cursor';
import './readouts.css';
import {
  centreAndBorderMeans,
  legendGradient,
  pixelColors,
  PIXEL_SIDE,
  PIXELS,
  sumCounts,
} from './scales';

export interface PixelMapProps {
  /** Surviving first-layer connections per input pixel, 784 entries, row-major. */
  counts: ArrayLike<number>;
  /** Connections per pixel when dense (the first hidden layer's width, 300 for LeNet). */
  max: number;
  title?: string;
  /** Side of the square map in CSS pixels. */
  size?: number;
  presenter?: boolean;
  caption?: string;
  /** Whose mask the counts are ("random reinit"), for the words under and over the map. */
  whose?: string;
}

/** The default caption says only how to read the map; the lab passes one computed from it. */
export const PIXEL_MAP_CAPTION =
  'Surviving first-layer connections per input pixel: the brighter, the more a pixel keeps.';

const GRADIENT = legendGradient();

/**
 * Paints the counts into a 28×28 canvas on the 0 … `scaleMax` colour scale; a no-op where there
 * is no 2D context (tests, old browsers).
 */
export function drawPixels(
  canvas: HTMLCanvasElement,
  counts: ArrayLike<number>,
  scaleMax: number,
): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  const img = ctx.createImageData(PIXEL_SIDE, PIXEL_SIDE);
  img.data.set(pixelColors(counts, scaleMax));
  ctx.putImageData(img, 0, 0);
  return true;
}

const rowCol = (p: number) => ({ row: Math.floor(p / PIXEL_SIDE), col: p % PIXEL_SIDE });

function PixelMapView({
  counts,
  max,
  title,
  size,
  presenter = false,
  caption = PIXEL_MAP_CAPTION,
  whose,
}: PixelMapProps) {
  const side = size ?? (presenter ? 420 : 252);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const valid = counts.length === PIXELS;
  const total = useMemo(() => sumCounts(counts), [counts]);
  const means = useMemo(() => (valid ? centreAndBorderMeans(counts) : null), [counts, valid]);
  const rings = useMemo(() => (valid ? byDistanceFromEdge(counts) : []), [counts, valid]);
  // The top of the colour scale: the most any pixel keeps (1 at least, so 0 stays the bottom).
  const scaleMax = useMemo(() => Math.max(1, ...rings.map((r) => r.most)), [rings]);

  useEffect(() => {
    if (valid && canvas.current) drawPixels(canvas.current, counts, scaleMax);
  }, [counts, scaleMax, valid]);

  const dense = PIXELS * Math.max(0, max);
  const under = whose ? ` under ${whose}` : '';
  const label = !valid
    ? ''
    : `Surviving first-layer connections per input pixel${under}, 28×28: ${total.toLocaleString()} of ${dense.toLocaleString()} remain; ` +
      `mean ${means!.centre.toFixed(1)} per centre pixel, ${means!.border.toFixed(1)} per border pixel (outer 4-pixel frame), of ${max}; ` +
      `colour scale 0 to ${scaleMax}. Arrow keys read out one pixel.`;

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return;
    const col = Math.floor(((e.clientX - r.left) / r.width) * PIXEL_SIDE);
    const row = Math.floor(((e.clientY - r.top) / r.height) * PIXEL_SIDE);
    setCursor(row >= 0 && row < PIXEL_SIDE && col >= 0 && col < PIXEL_SIDE ? { row, col } : null);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    // The keyboard starts at the centre, where the digits are, not in an empty corner.
    const next = moveCursor(e.key, cursor, PIXEL_SIDE, PIXEL_SIDE, { row: 14, col: 14 });
    if (!next) return;
    // The arrows are the map's while it has focus: the lab's own keys must not act as well.
    e.preventDefault();
    e.stopPropagation();
    setCursor(next);
  };
  const at = cursor && valid ? cursor.row * PIXEL_SIDE + cursor.col : null;
  const cell = side / PIXEL_SIDE;

  return (
    <figure
      data-testid="pixel-map"
      data-total={total}
      data-scale-max={scaleMax}
      style={{ margin: 0, fontSize: presenter ? '1.25rem' : undefined }}
    >
      {title && <h3 style={{ margin: '0 0 4px', fontSize: '1em' }}>{title}</h3>}
      <figcaption className="caption" data-testid="pixel-map-caption">
        {caption}
      </figcaption>
      {!valid ? (
        <p data-testid="pixel-map-error" style={{ color: '#a11' }}>
          Cannot draw the pixel map: expected {PIXELS} counts (28×28), got {counts.length}.
        </p>
      ) : (
        <div style={{ display: 'inline-block' }}>
          <div style={{ position: 'relative', width: side, height: side }}>
            <canvas
              ref={canvas}
              data-testid="pixel-map-canvas"
              className="chart-focus"
              role="img"
              aria-label={label}
              tabIndex={0}
              width={PIXEL_SIDE}
              height={PIXEL_SIDE}
              onMouseMove={onMove}
              onMouseLeave={() => setCursor(null)}
              onKeyDown={onKey}
              onBlur={() => setCursor(null)}
              style={{
                width: side,
                height: side,
                imageRendering: 'pixelated',
                display: 'block',
                border: '1px solid var(--line, #d9dde5)',
              }}
            />
            {cursor && (
              <div
                className="pixel-cursor"
                aria-hidden="true"
                style={{
                  left: cursor.col * cell,
                  top: cursor.row * cell,
                  width: cell + 2,
                  height: cell + 2,
                }}
              />
            )}
          </div>
          <div
            data-testid="pixel-map-legend"
            style={{ width: side, marginTop: 6, fontSize: '0.85em' }}
          >
            <div
              aria-hidden="true"
              style={{ height: presenter ? 16 : 10, background: GRADIENT, borderRadius: 2 }}
            />
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 6 }}>
              <span>0</span>
              <span>connections kept per pixel</span>
              <span data-testid="pixel-map-scale-max">{scaleMax}</span>
            </div>
          </div>
          <p data-testid="pixel-map-readout" className="chart-readout" aria-live="polite">
            {at !== null
              ? `pixel (row ${rowCol(at).row + 1}, col ${rowCol(at).col + 1}): ${counts[at]} of ${max} connections kept`
              : `${total.toLocaleString()} of ${dense.toLocaleString()} connections remain${under} (${max} per pixel when dense)`}
          </p>
          <DataTable
            testId="pixel-map-data"
            summary="Data: connections kept by distance from the image's edge"
            columns={['pixels from the edge', 'pixels', 'mean kept', 'most kept']}
            rows={rings.map((r) => [r.distance, r.pixels, r.mean.toFixed(1), r.most])}
          />
        </div>
      )}
    </figure>
  );
}

/** Per ring of pixels at one distance from the image's edge (0: the outer frame): its counts. */
export function byDistanceFromEdge(
  counts: ArrayLike<number>,
): { distance: number; pixels: number; mean: number; most: number }[] {
  const rings = Array.from({ length: PIXEL_SIDE / 2 }, (_, distance) => ({
    distance,
    pixels: 0,
    sum: 0,
    most: 0,
  }));
  for (let p = 0; p < PIXELS; p++) {
    const { row, col } = rowCol(p);
    const ring = rings[Math.min(row, col, PIXEL_SIDE - 1 - row, PIXEL_SIDE - 1 - col)]!;
    const v = Number.isFinite(counts[p]!) ? counts[p]! : 0;
    ring.pixels++;
    ring.sum += v;
    ring.most = Math.max(ring.most, v);
  }
  return rings.map(({ distance, pixels, sum, most }) => ({
    distance,
    pixels,
    mean: pixels ? sum / pixels : 0,
    most,
  }));
}

/** Memoised: it changes once a round, while the page re-renders on every progress tick. */
export const PixelMap = memo(PixelMapView);
