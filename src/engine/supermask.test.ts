import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from './config';
import { glorotStd, weightSizes } from './init';
import { Mask } from './mask';
import { pruneOneShot, scheduledLayerCounts } from './prune';
import { Rng } from './rng';
import { checkPm, oneShotLayerCounts, oneShotMasks, signsKept } from './supermask';

const LENET = [784, 300, 100, 10];
const SIZES = weightSizes(LENET); // [235200, 30000, 1000]
const TOTAL = SIZES.reduce((a, b) => a + b, 0);
const GLOBAL = mergeConfig(DEFAULT_CONFIG, { pruning: { scope: 'global' } });

function weights(seed: number): Float32Array[] {
  const rng = new Rng(seed, 'fake-training');
  return SIZES.map((n, l) => {
    const s = glorotStd(LENET[l]!, LENET[l + 1]!);
    return Float32Array.from({ length: n }, () => rng.normal() * s);
  });
}

/** Every kept |w| ≥ every dropped |w|, within each layer (layer scope) or across all (global). */
function keepsLargest(w: readonly Float32Array[], masks: readonly Mask[], perLayer: boolean) {
  const groups = perLayer ? w.map((_, l) => [l]) : [w.map((_, l) => l)];
  for (const g of groups) {
    let minKept = Infinity;
    let maxDropped = -Infinity;
    for (const l of g)
      w[l]!.forEach((x, i) => {
        const a = Math.abs(x);
        if (masks[l]!.bits[i]) minKept = Math.min(minKept, a);
        else maxDropped = Math.max(maxDropped, a);
      });
    expect(maxDropped).toBeLessThanOrEqual(minKept);
  }
}

describe('one-shot mask at a continuous P_m', () => {
  it('keeps everything at P_m 100%', () => {
    expect(oneShotLayerCounts(DEFAULT_CONFIG, SIZES, 1)).toEqual(SIZES);
    expect(oneShotMasks(GLOBAL, weights(1), 1).map((m) => m.count)).toEqual(SIZES);
  });

  it("follows the run's hidden/output rates: whole rounds give the iterative schedule", () => {
    // After 7 rounds at 20% / 10%: P_m of the schedule itself, within rounding per layer.
    const seven = scheduledLayerCounts(DEFAULT_CONFIG, SIZES, 7);
    const pm = seven.reduce((a, b) => a + b, 0) / TOTAL;
    const counts = oneShotLayerCounts(DEFAULT_CONFIG, SIZES, pm);
    counts.forEach((c, l) => expect(Math.abs(c - seven[l]!)).toBeLessThanOrEqual(2));
    // Exactly 0.8^n and 0.9^n at one n: the output layer keeps more than the hidden ones.
    const n = Math.log(counts[0]! / SIZES[0]!) / Math.log(0.8);
    expect(n).toBeCloseTo(7, 3);
    expect(counts[2]).toBe(Math.round(SIZES[2]! * Math.pow(0.9, n)));
  });

  it('keeps exactly the counts it names, the largest |w| of each layer', () => {
    const w = weights(2);
    for (const pm of [0.73, 0.31, 0.05, 0.02]) {
      const counts = oneShotLayerCounts(DEFAULT_CONFIG, SIZES, pm);
      const masks = oneShotMasks(DEFAULT_CONFIG, w, pm);
      expect(masks.map((m) => m.count)).toEqual(counts);
      expect(Math.abs(counts.reduce((a, b) => a + b, 0) / TOTAL - pm)).toBeLessThan(2e-5);
      keepsLargest(w, masks, true);
    }
  });

  it('global scope: round(P_m · all weights), one threshold across layers', () => {
    const w = weights(3);
    const masks = oneShotMasks(GLOBAL, w, 0.137);
    expect(masks.reduce((a, m) => a + m.count, 0)).toBe(Math.round(0.137 * TOTAL));
    keepsLargest(w, masks, false);
  });

  it("is the engine's one-shot pruning at a whole round's P_m (global)", () => {
    const w = weights(4);
    const ref = pruneOneShot(GLOBAL, w, 5);
    const pm = ref.reduce((a, m) => a + m.count, 0) / TOTAL;
    const masks = oneShotMasks(GLOBAL, w, pm);
    masks.forEach((m, l) => expect(m.equals(ref[l]!)).toBe(true));
  });

  it('refuses a P_m outside (0, 100%] in words', () => {
    for (const bad of [0, -0.1, 1.01, NaN]) expect(() => checkPm(bad)).toThrow(/P_m must be/);
    expect(() => oneShotMasks(DEFAULT_CONFIG, weights(5), 0)).toThrow(/P_m must be/);
  });
});

describe('signs kept through training', () => {
  it('counts kept and dropped weights whose sign matches θ0, zero counting as changed', () => {
    const theta0 = [Float32Array.of(1, -1, 2, -2, 0.5, 3)];
    const trained = [Float32Array.of(2, 1, -3, -4, 0, 5)];
    const mask = [new Mask(Uint8Array.of(1, 1, 0, 0, 0, 1))];
    expect(signsKept(theta0, trained, mask)).toEqual({
      kept: { same: 2, of: 3 }, // 1→2 kept, −1→1 flipped, 3→5 kept
      dropped: { same: 1, of: 3 }, // 2→−3 flipped, −2→−4 kept, 0.5→0 no sign
    });
  });
});
