import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, mergeConfig } from './config';
import { glorotStd, weightSizes } from './init';
import { Mask, type Masks, assertShrinks, remainingFraction } from './mask';
import {
  PRUNERS,
  keepAfterRound,
  keepLargest,
  keepLargestPerLayer,
  layerRates,
  pruneOneShot,
  scheduledGlobalCount,
  scheduledLayerCounts,
} from './prune';
import { Rng } from './rng';

const LENET = [784, 300, 100, 10];
const SIZES = weightSizes(LENET); // [235200, 30000, 1000]
const LAYER: ExperimentConfig = DEFAULT_CONFIG;
const GLOBAL: ExperimentConfig = mergeConfig(DEFAULT_CONFIG, { pruning: { scope: 'global' } });

/**
 * "Trained" weights: Glorot-scaled Gaussians, exactly 0 where the mask has pruned (as training
 * leaves them).
 */
function trainedWeights(masks: Masks, seed: number, layers = LENET): Float32Array[] {
  const rng = new Rng(seed, 'fake-training');
  return masks.map((m, l) => {
    const s = glorotStd(layers[l]!, layers[l + 1]!);
    return Float32Array.from({ length: m.size }, (_, i) => (m.bits[i] ? rng.normal() * s : 0));
  });
}

const dense = (sizes: readonly number[]) => sizes.map((n) => Mask.ones(n));
const counts = (masks: Masks) => masks.map((m) => m.count);

/** max |w| newly pruned ≤ min |w| kept, over the given layers (alive in `prev`). */
function assertSmallestPruned(weights: readonly Float32Array[], prev: Masks, next: Masks): void {
  let maxPruned = -Infinity;
  let minKept = Infinity;
  weights.forEach((w, l) => {
    for (let i = 0; i < w.length; i++) {
      if (!prev[l]!.bits[i]) continue;
      const a = Math.abs(w[i]!);
      if (next[l]!.bits[i]) minKept = Math.min(minKept, a);
      else maxPruned = Math.max(maxPruned, a);
    }
  });
  expect(maxPruned).toBeLessThanOrEqual(minKept);
}

describe('schedule', () => {
  it('keepAfterRound removes round(rate · alive)', () => {
    expect(keepAfterRound(1000, 0.2)).toBe(800);
    expect(keepAfterRound(1000, 0.1)).toBe(900);
    expect(keepAfterRound(7, 0.2)).toBe(6); // round(1.4) = 1
    expect(keepAfterRound(8, 0.2)).toBe(6); // round(1.6) = 2
    expect(keepAfterRound(5, 0.1)).toBe(4); // round(0.5) = 1
    expect(keepAfterRound(10, 0)).toBe(10);
    expect(keepAfterRound(0, 0.2)).toBe(0);
  });

  it('layerRates: hidden layers at rate, the output layer at outputRate', () => {
    expect(layerRates(LAYER, 3)).toEqual([0.2, 0.2, 0.1]);
    expect(layerRates(mergeConfig(LAYER, { pruning: { rate: 0.5, outputRate: 0.25 } }), 2)).toEqual(
      [0.5, 0.25],
    );
  });

  it('scheduled counts iterate keepAfterRound per layer (layer) or over the total (global)', () => {
    expect(scheduledLayerCounts(LAYER, SIZES, 0)).toEqual(SIZES);
    expect(scheduledLayerCounts(LAYER, SIZES, 1)).toEqual([188160, 24000, 900]);
    expect(scheduledLayerCounts(LAYER, SIZES, 3)).toEqual([120422, 15360, 729]);
    expect(scheduledGlobalCount(GLOBAL, SIZES, 0)).toBe(266200);
    expect(scheduledGlobalCount(GLOBAL, SIZES, 1)).toBe(212960);
    expect(scheduledGlobalCount(GLOBAL, SIZES, 2)).toBe(keepAfterRound(212960, 0.2));
  });
});

describe('layer-wise iterative pruning of LeNet-300-100', () => {
  it('prunes exact counts per layer each round, only shrinks, and follows the paper’s P_m', () => {
    let masks: Mask[] = dense(SIZES);
    const pm: number[] = [remainingFraction(masks)];
    for (let round = 1; round <= 12; round++) {
      const trained = trainedWeights(masks, round);
      const next = PRUNERS.layer(LAYER, trained, masks);
      const expected = masks.map((m, l) => m.count - Math.round((l === 2 ? 0.1 : 0.2) * m.count));
      expect(counts(next)).toEqual(expected);
      expect(counts(next)).toEqual(scheduledLayerCounts(LAYER, SIZES, round));
      expect(() => assertShrinks(next, masks)).not.toThrow();
      // Within each layer, the pruned weights are that layer's smallest magnitudes.
      trained.forEach((w, l) => assertSmallestPruned([w], [masks[l]!], [next[l]!]));
      masks = next;
      pm.push(remainingFraction(masks));
    }
    // Frankle & Carbin (2019), Figure 3 / Table: P_m after 3, 7 and 12 rounds.
    expect(Math.abs(100 * pm[3]! - 51.3)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(100 * pm[7]! - 21.1)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(100 * pm[12]! - 7.0)).toBeLessThanOrEqual(0.1);
    // Strictly decreasing.
    for (let r = 1; r < pm.length; r++) expect(pm[r]!).toBeLessThan(pm[r - 1]!);
  });

  it('never revives a pruned weight, even if its value is large', () => {
    const masks = [new Mask(Uint8Array.from([0, 1, 1, 1, 1, 0, 1, 1, 1, 1]))];
    const w = [Float32Array.from([100, 1, 2, 3, 4, -100, 5, 6, 7, 8])];
    const next = keepLargestPerLayer(w, masks, [4]);
    expect(Array.from(next[0]!.bits)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('ranks by magnitude, not by signed value', () => {
    const w = [Float32Array.from([-9, 1, -0.5, 3, -2, 0.1])];
    const next = keepLargestPerLayer(w, dense([6]), [3]);
    expect(Array.from(next[0]!.bits)).toEqual([1, 0, 0, 1, 1, 0]);
  });
});

describe('global iterative pruning', () => {
  it('prunes the exact total, the globally smallest magnitudes, with per-layer counts unlike layer-wise', () => {
    let masks: Mask[] = dense(SIZES);
    for (let round = 1; round <= 4; round++) {
      const trained = trainedWeights(masks, 100 + round);
      const next = PRUNERS.global(GLOBAL, trained, masks);
      const alive = masks.reduce((a, m) => a + m.count, 0);
      const total = next.reduce((a, m) => a + m.count, 0);
      expect(total).toBe(alive - Math.round(0.2 * alive));
      expect(total).toBe(scheduledGlobalCount(GLOBAL, SIZES, round));
      expect(() => assertShrinks(next, masks)).not.toThrow();
      assertSmallestPruned(trained, masks, next);
      masks = next;
    }
    // Layer 0 has the smallest Glorot std, so one global threshold prunes it harder than 0.8^4
    // and the output layer far less than layer-wise pruning would.
    const layerwise = scheduledLayerCounts(LAYER, SIZES, 4);
    expect(counts(masks)).not.toEqual(layerwise);
    expect(masks[0]!.count).toBeLessThan(layerwise[0]!);
    expect(masks[2]!.count).toBeGreaterThan(layerwise[2]!);
  });

  it('ignores outputRate', () => {
    const masks = dense([50, 50]);
    const w = trainedWeights(masks, 1, [10, 5, 10]);
    const a = PRUNERS.global(GLOBAL, w, masks);
    const b = PRUNERS.global(mergeConfig(GLOBAL, { pruning: { outputRate: 0.9 } }), w, masks);
    expect(a.map((m) => Array.from(m.bits))).toEqual(b.map((m) => Array.from(m.bits)));
  });
});

describe('ties', () => {
  it('keeps exactly `keep` weights when magnitudes tie, deterministically, in position order', () => {
    const w = [Float32Array.from([1, -1, 1, 1, -1, 2, 0.5, 1])];
    const m = dense([8]);
    const a = keepLargest(w, m, 4);
    const b = keepLargest(
      w.map((x) => x.slice()),
      m,
      4,
    );
    expect(a[0]!.count).toBe(4);
    expect(Array.from(a[0]!.bits)).toEqual(Array.from(b[0]!.bits));
    // 2 survives for sure; three of the six ±1 fill the places, the first three by position.
    expect(Array.from(a[0]!.bits)).toEqual([1, 1, 1, 0, 0, 1, 0, 0]);
  });

  it('breaks ties across layers in global scope with the exact total', () => {
    const w = [new Float32Array(6).fill(0.5), new Float32Array(4).fill(-0.5)];
    const next = keepLargest(w, dense([6, 4]), 7);
    // All ten tie; position order runs through the layers in order.
    expect(counts(next)).toEqual([6, 1]);
    expect(Array.from(next[1]!.bits)).toEqual([1, 0, 0, 0]);
  });

  it('handles all-zero weights and keep = 0 or keep = alive', () => {
    const w = [new Float32Array(5)];
    expect(keepLargest(w, dense([5]), 2)[0]!.count).toBe(2);
    expect(keepLargest(w, dense([5]), 0)[0]!.count).toBe(0);
    expect(keepLargest(w, dense([5]), 5)[0]!.count).toBe(5);
  });

  it('rejects keeping more than are alive, and weights that do not fit the mask', () => {
    const m = [new Mask(Uint8Array.from([1, 1, 0]))];
    expect(() => keepLargest([new Float32Array(3)], m, 3)).toThrow(/masks only shrink/);
    expect(() => keepLargest([new Float32Array(4)], m, 1)).toThrow(/4 weights but a mask of 3/);
  });
});

describe('pruneOneShot', () => {
  const denseTrained = trainedWeights(dense(SIZES), 7);

  it('layer scope: reaches round r’s per-layer counts in one step, keeping each layer’s largest', () => {
    for (const r of [1, 3, 7]) {
      const masks = pruneOneShot(LAYER, denseTrained, r);
      expect(counts(masks)).toEqual(scheduledLayerCounts(LAYER, SIZES, r));
      denseTrained.forEach((w, l) => assertSmallestPruned([w], [Mask.ones(w.length)], [masks[l]!]));
    }
    expect(counts(pruneOneShot(LAYER, denseTrained, 0))).toEqual(SIZES);
  });

  it('matches the per-layer counts of r iterative rounds on the same weights', () => {
    // Iterating on unchanged weights gives the same per-layer counts as one shot, and the same set.
    let masks: Mask[] = dense(SIZES);
    for (let r = 1; r <= 3; r++) masks = PRUNERS.layer(LAYER, denseTrained, masks);
    const oneShot = pruneOneShot(LAYER, denseTrained, 3);
    expect(counts(oneShot)).toEqual(counts(masks));
    oneShot.forEach((m, l) => expect(m.equals(masks[l]!)).toBe(true));
  });

  it('global scope: reaches round r’s total in one step, the globally largest', () => {
    for (const r of [1, 5]) {
      const masks = pruneOneShot(GLOBAL, denseTrained, r);
      expect(masks.reduce((a, m) => a + m.count, 0)).toBe(scheduledGlobalCount(GLOBAL, SIZES, r));
      assertSmallestPruned(denseTrained, dense(SIZES), masks);
    }
  });
});
