/**
 * The first layer's surviving connections per input pixel, as a 28×28 heatmap drawn into a
 * canvas (784 cells: one putImageData per round, no DOM nodes per cell). A dumb view.
 */
import { memo, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
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
}

export const PIXEL_MAP_CAPTION =
  'Pruning keeps the connections from the centre of the image, where the digits are; the border pixels lose theirs.';

const GRADIENT = legendGradient();

/**
 * Paints the counts into a 28×28 canvas; a no-op where there is no 2D context (tests, old
 * browsers).
 */
export function drawPixels(
  canvas: HTMLCanvasElement,
  counts: ArrayLike<number>,
  max: number,
): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx) return false;
  const img = ctx.createImageData(PIXEL_SIDE, PIXEL_SIDE);
  img.data.set(pixelColors(counts, max));
  ctx.putImageData(img, 0, 0);
  return true;
}

function PixelMapView({
  counts,
  max,
  title,
  size,
  presenter = false,
  caption = PIXEL_MAP_CAPTION,
}: PixelMapProps) {
  const side = size ?? (presenter ? 420 : 252);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const valid = counts.length === PIXELS;
  const total = useMemo(() => sumCounts(counts), [counts]);
  const means = useMemo(() => (valid ? centreAndBorderMeans(counts) : null), [counts, valid]);

  useEffect(() => {
    if (valid && canvas.current) drawPixels(canvas.current, counts, max);
  }, [counts, max, valid]);

  const dense = PIXELS * Math.max(0, max);
  const label = !valid
    ? `Pixel map unavailable: expected ${PIXELS} counts (28×28), got ${counts.length}.`
    : `Surviving first-layer connections per input pixel, 28×28: ${total.toLocaleString()} of ${dense.toLocaleString()} remain; ` +
      `mean ${means!.centre.toFixed(1)} per centre pixel, ${means!.border.toFixed(1)} per border pixel (outer 4-pixel frame), of ${max}.`;

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return;
    const col = Math.floor(((e.clientX - r.left) / r.width) * PIXEL_SIDE);
    const row = Math.floor(((e.clientY - r.top) / r.height) * PIXEL_SIDE);
    setHover(
      row >= 0 && row < PIXEL_SIDE && col >= 0 && col < PIXEL_SIDE ? row * PIXEL_SIDE + col : null,
    );
  };
  const hovered = hover !== null && valid ? counts[hover] : undefined;

  return (
    <figure
      data-testid="pixel-map"
      data-total={total}
      role="img"
      aria-label={label}
      style={{ margin: 0, fontSize: presenter ? '1.25rem' : undefined }}
    >
      {title && <h3 style={{ margin: '0 0 4px', fontSize: '1em' }}>{title}</h3>}
      <figcaption className="caption">{caption}</figcaption>
      {!valid ? (
        <p data-testid="pixel-map-error" style={{ color: '#a11' }}>
          Cannot draw the pixel map: expected {PIXELS} counts (28×28), got {counts.length}.
        </p>
      ) : (
        <div style={{ display: 'inline-block' }}>
          <canvas
            ref={canvas}
            data-testid="pixel-map-canvas"
            width={PIXEL_SIDE}
            height={PIXEL_SIDE}
            onMouseMove={onMove}
            onMouseLeave={() => setHover(null)}
            style={{
              width: side,
              height: side,
              imageRendering: 'pixelated',
              display: 'block',
              border: '1px solid var(--line, #d9dde5)',
            }}
          />
          <div
            data-testid="pixel-map-legend"
            aria-hidden="true"
            style={{ width: side, marginTop: 6, fontSize: '0.85em' }}
          >
            <div style={{ height: presenter ? 16 : 10, background: GRADIENT, borderRadius: 2 }} />
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <span>0</span>
              <span>connections per pixel</span>
              <span>{max}</span>
            </div>
          </div>
          <div
            data-testid="pixel-map-readout"
            aria-hidden="true"
            style={{ fontSize: '0.85em', minHeight: '1.3em', opacity: 0.8 }}
          >
            {hovered !== undefined && hover !== null
              ? `pixel (row ${Math.floor(hover / PIXEL_SIDE) + 1}, col ${(hover % PIXEL_SIDE) + 1}): ${hovered} of ${max}`
              : `${total.toLocaleString()} of ${dense.toLocaleString()} connections remain`}
          </div>
        </div>
      )}
    </figure>
  );
}

/** Memoised: it changes once a round, while the page re-renders on every progress tick. */
export const PixelMap = memo(PixelMapView);
