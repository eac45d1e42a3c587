/**
 * The digit as the networks see it (28×28, after MNIST's preprocessing) with the ticket's
 * surviving first-layer connections per pixel laid under its ink (issue 16): the brighter the
 * ground, the more connections that pixel keeps; the ink is drawn over it in black. A dumb view.
 */
import { memo, useEffect, useRef } from 'react';
import { PIXEL_SIDE, PIXELS, pixelColors } from './scales';

/** The overlay's RGBA pixels: the survivors' colours, darkened towards black by the ink. */
export function overlayColors(
  pixels: ArrayLike<number>,
  counts: ArrayLike<number> | null,
  scaleMax: number,
): Uint8ClampedArray {
  const ground = counts
    ? pixelColors(counts, scaleMax)
    : new Uint8ClampedArray(PIXELS * 4).fill(255);
  for (let p = 0; p < PIXELS; p++) {
    const keep = 1 - (pixels[p] ?? 0) / 255;
    for (let c = 0; c < 3; c++) ground[p * 4 + c] = Math.round(ground[p * 4 + c]! * keep);
    ground[p * 4 + 3] = 255;
  }
  return ground;
}

function DigitOverlayView({
  pixels,
  counts,
  label,
  size = 168,
}: {
  /** 784 bytes, MNIST's format. */
  pixels: ArrayLike<number>;
  /** Surviving connections per input pixel (784); null: the ink alone. */
  counts: ArrayLike<number> | null;
  /** What the picture shows, in words (computed by the caller from the same numbers). */
  label: string;
  size?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    let most = 1;
    if (counts) for (let p = 0; p < PIXELS; p++) most = Math.max(most, counts[p] ?? 0);
    const img = ctx.createImageData(PIXEL_SIDE, PIXEL_SIDE);
    img.data.set(overlayColors(pixels, counts, most));
    ctx.putImageData(img, 0, 0);
  }, [pixels, counts]);
  return (
    <canvas
      ref={canvas}
      data-testid="digit-overlay"
      role="img"
      aria-label={label}
      width={PIXEL_SIDE}
      height={PIXEL_SIDE}
      style={{
        width: size,
        height: size,
        imageRendering: 'pixelated',
        display: 'block',
        border: '1px solid var(--line, #d9dde5)',
      }}
    />
  );
}

export const DigitOverlay = memo(DigitOverlayView);
