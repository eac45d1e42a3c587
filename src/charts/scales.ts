/**
 * Pure helpers behind the Figure 3 histograms and the 28×28 pixel map: geometry and colour as
 * plain numbers, so they are tested without a DOM and the components only render what they say.
 */
import { interpolateViridis, rgb, scaleLinear } from 'd3';

/** Sum of counts, ignoring non-finite entries (a Uint32Array never has any; plain arrays might). */
export function sumCounts(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (Number.isFinite(c)) s += c;
  }
  return s;
}

/** "21.1%", and two significant digits below 1% so a late round never reads "0.0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  const pct = share * 100;
  return pct >= 1 ? `${pct.toFixed(1)}%` : `${pct.toPrecision(2)}%`;
}

/** One bar of a histogram in plot coordinates (origin top-left, y down). */
export interface Bar {
  bin: number;
  count: number;
  x: number;
  width: number;
  y: number;
  height: number;
}

/**
 * Bars for counts over fixed edges, scaled so the tallest bar fills `height` (the series' own
 * peak: a layer's last survivors are a tiny fraction, and their *shape* is what Figure 3 shows).
 * Bins with a zero count get no bar. `x` maps θ0 to plot x.
 */
export function histogramBars(
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
  x: (v: number) => number,
  height: number,
): Bar[] {
  const bins = Math.min(counts.length, edges.length - 1);
  let peak = 0;
  for (let i = 0; i < bins; i++) peak = Math.max(peak, counts[i]! || 0);
  if (peak <= 0) return [];
  const y = scaleLinear().domain([0, peak]).range([height, 0]);
  const bars: Bar[] = [];
  for (let i = 0; i < bins; i++) {
    const count = counts[i]!;
    if (!(count > 0)) continue;
    const x0 = x(edges[i]!);
    const x1 = x(edges[i + 1]!);
    bars.push({
      bin: i,
      count,
      x: x0,
      width: Math.max(0, x1 - x0),
      y: y(count),
      height: height - y(count),
    });
  }
  return bars;
}

export const PIXEL_SIDE = 28;
export const PIXELS = PIXEL_SIDE * PIXEL_SIDE;

/** The pixel map's colour scale: viridis (perceptually uniform, colour-blind safe), 0 → max. */
export const pixelInterpolator = interpolateViridis;

/** 256 RGB entries of the colour scale, parsed once instead of per pixel per round. */
const LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(pixelInterpolator(i / 255));
    lut[i * 3] = c.r;
    lut[i * 3 + 1] = c.g;
    lut[i * 3 + 2] = c.b;
  }
  return lut;
})();

/** Lookup-table index of a count on the 0 … max scale; NaN, negatives and max ≤ 0 read as 0. */
export function colorIndex(count: number, max: number): number {
  if (!(max > 0) || !(count > 0)) return 0;
  return Math.round(Math.min(1, count / max) * 255);
}

/** RGBA bytes (opaque) for an ImageData: one pixel per count, coloured on the 0 … max scale. */
export function pixelColors(counts: ArrayLike<number>, max: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(counts.length * 4);
  for (let p = 0; p < counts.length; p++) {
    const k = colorIndex(counts[p]!, max) * 3;
    out[p * 4] = LUT[k]!;
    out[p * 4 + 1] = LUT[k + 1]!;
    out[p * 4 + 2] = LUT[k + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** A CSS linear-gradient of the colour scale, for the legend (no canvas, no gradient ids). */
export function legendGradient(stops = 11): string {
  const parts = Array.from(
    { length: stops },
    (_, i) => `${pixelInterpolator(i / (stops - 1))} ${((100 * i) / (stops - 1)).toFixed(0)}%`,
  );
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/**
 * Mean count of the centre (inside a `margin`-pixel frame) and of the frame itself, for the
 * map's spoken summary: the paper's observation is that the frame loses its connections first.
 */
export function centreAndBorderMeans(
  counts: ArrayLike<number>,
  side = PIXEL_SIDE,
  margin = 4,
): { centre: number; border: number } {
  let centre = 0,
    nCentre = 0,
    border = 0,
    nBorder = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = counts[r * side + c] ?? 0;
      const inner = r >= margin && r < side - margin && c >= margin && c < side - margin;
      if (inner) {
        centre += v;
        nCentre++;
      } else {
        border += v;
        nBorder++;
      }
    }
  }
  return { centre: nCentre ? centre / nCentre : 0, border: nBorder ? border / nBorder : 0 };
}

/** One layer's histogram of θ0: all weights and the survivors, over the same bins. */
export interface LayerCounts {
  layer: number;
  edges: ArrayLike<number>;
  all: ArrayLike<number>;
  surviving: ArrayLike<number>;
}

/** What Figure 5's caption and data table say of a layer's survivors. */
export interface SurvivorShape {
  layer: number;
  total: number;
  survivors: number;
  /** Shares of all θ0 and of the survivors' θ0 near zero (the middle eighth of the axis). */
  nearZeroAll: number;
  nearZeroSurvivors: number;
  /** The survivors' histogram dips at zero between a peak on each side. */
  bimodal: boolean;
}

/**
 * A survivor histogram counts as bimodal when the tallest bin near zero is under this share of the
 * lower of the two side peaks: a bell (the dense net) has its tallest bins at zero and never does.
 */
export const DIP = 0.7;

/**
 * Near zero is the bins wholly inside |θ0| < an eighth of the axis's half-width: the engine's
 * edges span ±4 Glorot σ (engine/metrics.ts histogramEdges), so this is |θ0| < σ/2. (A bin
 * centre tested against σ/2 would hang on rounding at the bin that ends there.)
 */
export function survivorShape(l: LayerCounts): SurvivorShape {
  const bins = Math.min(l.all.length, l.surviving.length, l.edges.length - 1);
  const half = Math.max(Math.abs(l.edges[0] ?? 0), Math.abs(l.edges[bins] ?? 0));
  let nearAll = 0,
    nearKept = 0,
    centre = 0,
    left = 0,
    right = 0;
  for (let i = 0; i < bins; i++) {
    const lo = l.edges[i]!,
      hi = l.edges[i + 1]!;
    const mid = (lo + hi) / 2;
    const kept = l.surviving[i]!;
    if (Math.max(Math.abs(lo), Math.abs(hi)) <= half / 8 + 1e-9 * half) {
      nearAll += l.all[i]!;
      nearKept += kept;
      centre = Math.max(centre, kept);
    } else if (mid < 0) left = Math.max(left, kept);
    else right = Math.max(right, kept);
  }
  const total = sumCounts(l.all);
  const survivors = sumCounts(l.surviving);
  const sides = Math.min(left, right);
  return {
    layer: l.layer,
    total,
    survivors,
    nearZeroAll: total > 0 ? nearAll / total : 0,
    nearZeroSurvivors: survivors > 0 ? nearKept / survivors : 0,
    bimodal: sides > 0 && centre < DIP * sides,
  };
}
