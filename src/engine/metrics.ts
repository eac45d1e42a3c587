/**
 * What a round's result holds besides the curves: the early-stop iteration, the Figure 3
 * histograms of surviving initial weights, and the first layer's survivors per input pixel.
 */
import { IMAGE_SIZE } from './data';
import { glorotStd } from './init';
import type { Mask } from './mask';

/** One evaluation of one variant. Losses are mean cross-entropy; accuracies in [0, 1]. */
export interface CurvePoint {
  iteration: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  testAccuracy: number;
}

/**
 * Where a variant's training reached its early stop, and the accuracies measured there: one
 * group, composed into every result (a round's variant, a ticket's result, a chart's point).
 */
export interface EarlyStop {
  /** The iteration of minimum validation loss. */
  iteration: number;
  validationAccuracy: number;
  testAccuracy: number;
}

/**
 * The early stop: the evaluation with the lowest validation loss (paper §2: the "early-stopping
 * criterion"; measured, not used to stop). Ties go to the earlier iteration.
 */
export function findEarlyStop(curve: readonly CurvePoint[]): EarlyStop {
  if (curve.length === 0) throw new Error('findEarlyStop: empty curve');
  let best = curve[0]!;
  for (const p of curve) if (p.validationLoss < best.validationLoss) best = p;
  return {
    iteration: best.iteration,
    validationAccuracy: best.validationAccuracy,
    testAccuracy: best.testAccuracy,
  };
}

/** A histogram with fixed edges: counts[i] counts values in [edges[i], edges[i+1]). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Figure 3 for one layer: θ0 of the survivors over θ0 of the whole layer, same edges. */
export interface LayerHistogram {
  layer: number;
  all: Histogram;
  surviving: Histogram;
}

export const HISTOGRAM_BINS = 40;

/**
 * Bin edges for a layer: ±4 Glorot standard deviations, a function of the architecture only, so
 * the edges are the same in every round and a round scrubber compares like with like. Values
 * beyond the edges are counted in the outermost bins.
 */
export function histogramEdges(fanIn: number, fanOut: number, bins = HISTOGRAM_BINS): number[] {
  const lim = 4 * glorotStd(fanIn, fanOut);
  return Array.from({ length: bins + 1 }, (_, i) => -lim + (2 * lim * i) / bins);
}

export function histogram(
  values: Float32Array,
  edges: readonly number[],
  keep?: Uint8Array,
): Histogram {
  const bins = edges.length - 1;
  const lo = edges[0]!;
  const width = (edges[bins]! - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    if (keep && !keep[i]) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((values[i]! - lo) / width)));
    counts[b]!++;
  }
  return { edges: [...edges], counts };
}

/**
 * Figure 3 histograms of one variant: `initial` are its starting weights (for the ticket, θ0 at
 * its mask), `reference` the whole layers' θ0, so the survivors are shown against everything.
 */
export function layerHistograms(
  layers: readonly number[],
  reference: readonly Float32Array[],
  initial: readonly Float32Array[],
  masks: readonly Mask[],
): LayerHistogram[] {
  return reference.map((all, l) => {
    const edges = histogramEdges(layers[l]!, layers[l + 1]!);
    return {
      layer: l,
      all: histogram(all, edges),
      surviving: histogram(initial[l]!, edges, masks[l]!.bits),
    };
  });
}

/** The first layer's surviving connections per input pixel (28×28, row-major). */
export function pixelSurvivors(firstLayer: Mask, fanOut: number): Uint16Array {
  const counts = new Uint16Array(IMAGE_SIZE);
  for (let p = 0; p < IMAGE_SIZE; p++) {
    let n = 0;
    const row = p * fanOut;
    for (let j = 0; j < fanOut; j++) n += firstLayer.bits[row + j]!;
    counts[p] = n;
  }
  return counts;
}
