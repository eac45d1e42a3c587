import { describe, expect, it } from 'vitest';
import { glorotStd, initialParams } from './init';
import { Mask } from './mask';
import {
  type CurvePoint,
  HISTOGRAM_BINS,
  findEarlyStop,
  histogram,
  histogramEdges,
  layerHistograms,
  pixelSurvivors,
} from './metrics';
import { Rng } from './rng';

const point = (
  iteration: number,
  validationLoss: number,
  testAccuracy: number,
  trainLoss = 1,
): CurvePoint => ({
  iteration,
  trainLoss,
  validationLoss,
  validationAccuracy: 0.5,
  testAccuracy,
});

describe('findEarlyStop', () => {
  it('returns the point of minimum validation loss, not of minimum test or train loss', () => {
    const curve = [
      point(0, 2.3, 0.1, 2.3),
      point(100, 0.4, 0.9, 0.5),
      point(200, 0.3, 0.95, 0.2),
      point(300, 0.35, 0.97, 0.01),
    ];
    expect(findEarlyStop(curve)).toEqual({
      iteration: 200,
      validationAccuracy: 0.5,
      testAccuracy: 0.95,
    });
  });

  it('takes the earliest iteration on ties', () => {
    expect(
      findEarlyStop([point(0, 1, 0), point(10, 0.5, 0.1), point(20, 0.5, 0.2), point(30, 0.6, 0.3)])
        .iteration,
    ).toBe(10);
    expect(findEarlyStop([point(0, 0.5, 0), point(10, 0.5, 0.1)]).iteration).toBe(0);
  });

  it('handles a minimum at the first or last point, and throws on an empty curve', () => {
    expect(findEarlyStop([point(0, 0.1, 0), point(10, 0.2, 0)]).iteration).toBe(0);
    expect(findEarlyStop([point(0, 0.3, 0), point(10, 0.2, 0)]).iteration).toBe(10);
    expect(() => findEarlyStop([])).toThrow(/empty/);
  });
});

describe('histograms', () => {
  it('edges are ±4 Glorot std, evenly spaced, HISTOGRAM_BINS bins, fixed per layer', () => {
    const e = histogramEdges(784, 300);
    const lim = 4 * glorotStd(784, 300);
    expect(e.length).toBe(HISTOGRAM_BINS + 1);
    expect(e[0]).toBeCloseTo(-lim, 12);
    expect(e[HISTOGRAM_BINS]).toBeCloseTo(lim, 12);
    for (let i = 1; i < e.length; i++)
      expect(e[i]! - e[i - 1]!).toBeCloseTo((2 * lim) / HISTOGRAM_BINS, 12);
    expect(histogramEdges(784, 300)).toEqual(e);
    expect(histogramEdges(300, 100)).not.toEqual(e);
    const s = glorotStd(10, 10);
    histogramEdges(10, 10, 4).forEach((edge, i) =>
      expect(edge).toBeCloseTo([-4 * s, -2 * s, 0, 2 * s, 4 * s][i]!, 12),
    );
  });

  it('counts [edges[i], edges[i+1]) and clamps values beyond the edges into the outer bins', () => {
    const edges = [-2, -1, 0, 1, 2];
    const h = histogram(Float32Array.from([-5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.99, 2, 7]), edges);
    expect(h.counts).toEqual([3, 2, 2, 4]);
    expect(h.edges).toEqual(edges);
    expect(h.edges).not.toBe(edges); // a copy
  });

  it('counts only the kept entries, summing to the number of survivors', () => {
    const edges = [-2, -1, 0, 1, 2];
    const values = Float32Array.from([-1.5, -0.5, 0.5, 1.5]);
    expect(histogram(values, edges, Uint8Array.from([1, 0, 0, 1])).counts).toEqual([1, 0, 0, 1]);
    expect(histogram(values, edges, Uint8Array.from([0, 0, 0, 0])).counts).toEqual([0, 0, 0, 0]);
  });

  it('layerHistograms: same edges in every round, survivors sum to the mask count, all to the layer size', () => {
    const layers = [784, 16, 8, 10];
    const theta0 = initialParams(layers, 0);
    const rng = new Rng(1, 'hist');
    const maskAt = (density: number) =>
      theta0.weights.map(
        (w) => new Mask(Uint8Array.from(w, () => (rng.uniform() < density ? 1 : 0))),
      );
    const m1 = maskAt(0.5);
    const m2 = maskAt(0.2);
    const h1 = layerHistograms(layers, theta0.weights, theta0.weights, m1);
    const h2 = layerHistograms(layers, theta0.weights, theta0.weights, m2);
    expect(h1.map((h) => h.layer)).toEqual([0, 1, 2]);
    h1.forEach((h, l) => {
      expect(h.all.edges).toEqual(h2[l]!.all.edges);
      expect(h.surviving.edges).toEqual(h.all.edges);
      expect(h.all.edges).toEqual(histogramEdges(layers[l]!, layers[l + 1]!));
      expect(h.all.counts.reduce((a, b) => a + b, 0)).toBe(theta0.weights[l]!.length);
      expect(h.surviving.counts.reduce((a, b) => a + b, 0)).toBe(m1[l]!.count);
      expect(h2[l]!.surviving.counts.reduce((a, b) => a + b, 0)).toBe(m2[l]!.count);
      // Survivors never outnumber the whole layer in any bin.
      h.surviving.counts.forEach((c, i) => expect(c).toBeLessThanOrEqual(h.all.counts[i]!));
    });
  });

  it('layerHistograms bins the variant’s own starting values for survivors', () => {
    const layers = [784, 2, 10];
    const reference = [new Float32Array(784 * 2), new Float32Array(20)]; // all zero: middle bin
    const lim0 = 4 * glorotStd(784, 2);
    const initial = [new Float32Array(784 * 2).fill(-lim0 * 0.99), new Float32Array(20)];
    const masks = [Mask.ones(784 * 2), Mask.ones(20)];
    const [h0] = layerHistograms(layers, reference, initial, masks);
    expect(h0!.all.counts[HISTOGRAM_BINS / 2]).toBe(784 * 2);
    expect(h0!.surviving.counts[0]).toBe(784 * 2);
  });
});

describe('pixelSurvivors', () => {
  it('counts surviving first-layer connections per input pixel (row of the [784, out] matrix)', () => {
    const fanOut = 3;
    const bits = new Uint8Array(784 * fanOut);
    // Pixel 0: all 3 kept; pixel 1: none; pixel 5: 2; pixel 783: 1.
    bits.set([1, 1, 1], 0);
    bits.set([1, 0, 1], 5 * fanOut);
    bits[783 * fanOut + 2] = 1;
    const counts = pixelSurvivors(new Mask(bits), fanOut);
    expect(counts.length).toBe(784);
    expect(counts[0]).toBe(3);
    expect(counts[1]).toBe(0);
    expect(counts[5]).toBe(2);
    expect(counts[783]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('sums to the first layer’s mask count and is fanOut for a dense layer', () => {
    const fanOut = 300;
    expect(
      Array.from(pixelSurvivors(Mask.ones(784 * fanOut), fanOut)).every((c) => c === fanOut),
    ).toBe(true);
    const rng = new Rng(2, 'pix');
    const m = new Mask(Uint8Array.from({ length: 784 * 16 }, () => (rng.uniform() < 0.3 ? 1 : 0)));
    expect(pixelSurvivors(m, 16).reduce((a, b) => a + b, 0)).toBe(m.count);
  });
});
