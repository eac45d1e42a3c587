// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { byDistanceFromEdge, drawPixels, PixelMap } from './PixelMap';
import { pixelColors } from './scales';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Survivors fall off with distance from the centre, as after a few rounds of pruning. */
function centred(max = 300): Uint16Array {
  const counts = new Uint16Array(784);
  for (let r = 0; r < 28; r++)
    for (let c = 0; c < 28; c++) {
      const d = Math.hypot(r - 13.5, c - 13.5) / 13.5;
      counts[r * 28 + c] = Math.max(0, Math.round(max * (1 - d) * 0.4));
    }
  return counts;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

/** A fake 2D context: happy-dom has none, so the drawing is checked through what it is handed. */
function fakeContext() {
  const put = vi.fn();
  const ctx = {
    createImageData: (w: number, h: number) => ({
      width: w,
      height: h,
      data: new Uint8ClampedArray(w * h * 4),
    }),
    putImageData: put,
  };
  // getContext is overloaded per context kind; the mock stands in for the '2d' one only.
  (
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext') as unknown as {
      mockReturnValue(v: unknown): void;
    }
  ).mockReturnValue(ctx);
  return put;
}

describe('PixelMap', () => {
  it('renders a 28×28 canvas scaled to size, with totals and a legend 0 … the most kept', () => {
    const counts = centred();
    render(<PixelMap counts={counts} max={300} size={280} title="pixels" />);
    const root = screen.getByTestId('pixel-map');
    expect(root.getAttribute('data-total')).toBe(String(sum(counts)));
    const canvas = screen.getByTestId('pixel-map-canvas') as HTMLCanvasElement;
    expect([canvas.width, canvas.height]).toEqual([28, 28]);
    expect(canvas.style.width).toBe('280px');
    expect(canvas.style.imageRendering).toBe('pixelated');
    // The scale's top is the most any pixel keeps (issue 15: not the dense 300, which left a late
    // round's map one uniform dark), and the legend says the dense count beside it.
    const most = Math.max(...counts);
    expect(most).toBeLessThan(300);
    expect(root.getAttribute('data-scale-max')).toBe(String(most));
    expect(screen.getByTestId('pixel-map-scale-max').textContent).toBe(String(most));
    expect(screen.getByTestId('pixel-map-readout').textContent).toContain(
      '(300 per pixel when dense)',
    );
  });

  it('names whose mask it shows in its label and readout', () => {
    render(<PixelMap counts={centred()} max={300} whose="random pruning" />);
    expect(screen.getByTestId('pixel-map-canvas').getAttribute('aria-label')).toMatch(
      /^Surviving first-layer connections per input pixel under random pruning, 28×28:/,
    );
    expect(screen.getByTestId('pixel-map-readout').textContent).toMatch(
      /connections remain under random pruning \(300 per pixel when dense\)$/,
    );
  });

  it('reads out a pixel’s exact count from the keyboard, starting at the centre', () => {
    const counts = centred();
    render(<PixelMap counts={counts} max={300} />);
    const canvas = screen.getByTestId('pixel-map-canvas');
    expect(canvas.tabIndex).toBe(0);
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect(screen.getByTestId('pixel-map-readout').textContent).toBe(
      `pixel (row 15, col 15): ${counts[14 * 28 + 14]} of 300 connections kept`,
    );
    fireEvent.keyDown(canvas, { key: 'ArrowUp' });
    fireEvent.keyDown(canvas, { key: 'Home' });
    expect(screen.getByTestId('pixel-map-readout').textContent).toBe(
      `pixel (row 14, col 1): ${counts[13 * 28]} of 300 connections kept`,
    );
  });

  it('has a table of the counts by distance from the edge, as its text alternative', () => {
    const counts = new Uint16Array(784);
    counts[0] = 9; // a corner: the outer frame
    counts[13 * 28 + 13] = 40; // the centre's ring
    const rings = byDistanceFromEdge(counts);
    expect(rings.map((r) => r.pixels)).toEqual(
      Array.from({ length: 14 }, (_, d) => 4 * (27 - 2 * d)),
    );
    expect(rings[0]).toMatchObject({ most: 9, mean: 9 / 108 });
    expect(rings[13]).toMatchObject({ most: 40, mean: 10 });
    render(<PixelMap counts={counts} max={300} />);
    const rows = within(screen.getByTestId('pixel-map-data')).getAllByRole('row');
    expect(rows).toHaveLength(15);
    expect(rows[14]!.textContent).toBe('13410.040');
  });

  it('paints the canvas with the colours of pixelColors', () => {
    const put = fakeContext();
    const counts = centred();
    render(<PixelMap counts={counts} max={300} />);
    expect(put).toHaveBeenCalledTimes(1);
    const img = put.mock.calls[0]![0] as { data: Uint8ClampedArray };
    expect(img.data).toEqual(pixelColors(counts, Math.max(...counts)));
  });

  it('survives a missing 2D context', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const canvas = document.createElement('canvas');
    expect(drawPixels(canvas, centred(), 300)).toBe(false);
    expect(() => render(<PixelMap counts={centred()} max={300} />)).not.toThrow();
  });

  it('repaints when the next round arrives, and not on an unrelated re-render', () => {
    const put = fakeContext();
    const a = centred();
    const { rerender } = render(<PixelMap counts={a} max={300} />);
    rerender(<PixelMap counts={a} max={300} />);
    expect(put).toHaveBeenCalledTimes(1);
    const b = centred(150);
    rerender(<PixelMap counts={b} max={300} />);
    expect(put).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('pixel-map').getAttribute('data-total')).toBe(String(sum(b)));
  });

  it('summarises the centre and the border in its accessible label', () => {
    render(<PixelMap counts={centred()} max={300} />);
    const label = screen.getByRole('img').getAttribute('aria-label')!;
    expect(label).toContain(`${sum(centred()).toLocaleString()} of 235,200 remain`);
    const [centre, border] = [
      ...label.matchAll(/mean ([\d.]+) per centre pixel, ([\d.]+) per border/g),
    ][0]!
      .slice(1)
      .map(Number);
    expect(centre!).toBeGreaterThan(border!);
  });

  it('shows an inline message instead of throwing on a wrong-length array', () => {
    expect(() => render(<PixelMap counts={new Uint16Array(100)} max={300} />)).not.toThrow();
    expect(screen.getByTestId('pixel-map-error').textContent).toContain(
      'expected 784 counts (28×28), got 100',
    );
    expect(screen.queryByTestId('pixel-map-canvas')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });
});
