import { describe, expect, it } from 'vitest';
import { rgb, interpolateViridis } from 'd3';
import {
  centreAndBorderMeans,
  colorIndex,
  formatShare,
  histogramBars,
  legendGradient,
  pixelColors,
  sumCounts,
} from './scales';

describe('sumCounts', () => {
  it('adds typed and plain arrays, skipping non-finite entries', () => {
    expect(sumCounts(new Uint32Array([1, 2, 3]))).toBe(6);
    expect(sumCounts([1, Number.NaN, 2, Infinity])).toBe(3);
    expect(sumCounts([])).toBe(0);
  });
});

describe('formatShare', () => {
  it('reads one decimal at 1% and above, two significant digits below', () => {
    expect(formatShare(0.2111)).toBe('21.1%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(0.0047)).toBe('0.47%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(Number.NaN)).toBe('0%');
  });
});

describe('histogramBars', () => {
  const edges = [0, 1, 2, 3, 4];
  const x = (v: number) => v * 10;
  it('scales the tallest bar to the full height and keeps the others in proportion', () => {
    const bars = histogramBars(edges, [2, 8, 0, 4], x, 100);
    expect(bars.map((b) => b.bin)).toEqual([0, 1, 3]);
    expect(bars.map((b) => b.height)).toEqual([25, 100, 50]);
    expect(bars.map((b) => b.y)).toEqual([75, 0, 50]);
    expect(bars.map((b) => [b.x, b.width])).toEqual([
      [0, 10],
      [10, 10],
      [30, 10],
    ]);
  });
  it('draws nothing for an all-zero histogram', () => {
    expect(histogramBars(edges, [0, 0, 0, 0], x, 100)).toEqual([]);
  });
  it('ignores counts beyond the edges', () => {
    expect(histogramBars([0, 1], [3, 9], x, 10)).toHaveLength(1);
  });
});

describe('pixel colours', () => {
  const bytes = (t: number) => {
    const c = rgb(interpolateViridis(t));
    return [c.r, c.g, c.b, 255];
  };
  it('maps 0 … max onto viridis, opaque, four bytes per pixel', () => {
    const out = pixelColors([0, 300, 150], 300);
    expect(out).toHaveLength(12);
    expect([...out.slice(0, 4)]).toEqual(bytes(0));
    expect([...out.slice(4, 8)]).toEqual(bytes(1));
    expect(colorIndex(150, 300)).toBe(128);
    expect([...out.slice(8, 12)]).toEqual(bytes(128 / 255));
  });
  it('clamps above max and reads NaN, negatives and max ≤ 0 as zero', () => {
    expect(colorIndex(999, 300)).toBe(255);
    expect(colorIndex(Number.NaN, 300)).toBe(0);
    expect(colorIndex(-5, 300)).toBe(0);
    expect(colorIndex(10, 0)).toBe(0);
  });
  it('builds a legend gradient from the same scale', () => {
    const g = legendGradient(3);
    expect(g.startsWith('linear-gradient(to right, ')).toBe(true);
    expect(g).toContain(`${interpolateViridis(0)} 0%`);
    expect(g).toContain(`${interpolateViridis(1)} 100%`);
  });
});

describe('centreAndBorderMeans', () => {
  it('separates the inner 20×20 from the 4-pixel frame', () => {
    const counts = new Uint16Array(784);
    for (let r = 4; r < 24; r++) for (let c = 4; c < 24; c++) counts[r * 28 + c] = 100;
    counts[0] = 384; // one border pixel: 384 / 384 border pixels = mean 1
    expect(centreAndBorderMeans(counts)).toEqual({ centre: 100, border: 1 });
  });
});
