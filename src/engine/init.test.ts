import { describe, expect, it } from 'vitest';
import {
  type Params,
  applyMasks,
  bimodalStart,
  cloneParams,
  controlStart,
  glorotNormal,
  glorotStd,
  initialParams,
  ticketStart,
  weightSizes,
} from './init';
import { Mask } from './mask';
import { keepLargestPerLayer } from './prune';
import { Rng, fingerprint } from './rng';

const LENET = [784, 300, 100, 10];
const TINY = [784, 16, 8, 10];

/**
 * The golden θ0 of LeNet-300-100, seed 0: any change to the RNG, the Gaussian or the init fails
 * here.
 */
const LENET_SEED0_FINGERPRINT = '0d8b6bad';

function std(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    s2 += xs[i]! * xs[i]!;
  }
  const mean = s / xs.length;
  return { mean, std: Math.sqrt(s2 / xs.length - mean * mean) };
}

/** A random mask per layer keeping about `density` of the weights. */
function randomMasks(sizes: number[], density: number, seed: number): Mask[] {
  const rng = new Rng(seed, 'test-mask');
  return sizes.map(
    (n) => new Mask(Uint8Array.from({ length: n }, () => (rng.uniform() < density ? 1 : 0))),
  );
}

const kept = (w: Float32Array, m: Mask) => Array.from(w).filter((_, i) => m.bits[i]);
const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);

describe('weightSizes and glorotStd', () => {
  it('sizes the weight matrices of an MLP', () => {
    expect(weightSizes(LENET)).toEqual([235200, 30000, 1000]);
    expect(weightSizes([3, 5])).toEqual([15]);
  });

  it('is sqrt(2 / (fan_in + fan_out))', () => {
    expect(glorotStd(784, 300)).toBeCloseTo(Math.sqrt(2 / 1084), 15);
    expect(glorotStd(1, 1)).toBe(1);
  });
});

describe('θ0', () => {
  it('is reproducible from the seed, byte for byte', () => {
    const a = initialParams(LENET, 0);
    const b = initialParams(LENET, 0);
    expect(fingerprint(a.weights)).toBe(fingerprint(b.weights));
    a.weights.forEach((w, l) =>
      expect(Buffer.from(w.buffer).equals(Buffer.from(b.weights[l]!.buffer))).toBe(true),
    );
  });

  it('matches the pinned golden fingerprint for LeNet-300-100, seed 0', () => {
    expect(fingerprint(initialParams(LENET, 0).weights)).toBe(LENET_SEED0_FINGERPRINT);
  });

  it('differs between seeds', () => {
    const a = initialParams(LENET, 0);
    const b = initialParams(LENET, 1);
    expect(fingerprint(b.weights)).not.toBe(fingerprint(a.weights));
    // Not a shifted copy of the same stream either: the first values all differ.
    for (let l = 0; l < 3; l++) expect(a.weights[l]![0]).not.toBe(b.weights[l]![0]);
  });

  it('has the right shapes, Glorot std per layer and zero biases', () => {
    const p = initialParams(LENET, 0);
    expect(p.weights.map((w) => w.length)).toEqual([235200, 30000, 1000]);
    expect(p.biases.map((b) => b.length)).toEqual([300, 100, 10]);
    for (let l = 0; l < 3; l++) {
      const n = p.weights[l]!.length;
      const target = glorotStd(LENET[l]!, LENET[l + 1]!);
      const s = std(p.weights[l]!);
      // Relative error of a sample std is ~1/√(2n): 5σ is 0.7% for layer 0, 11% for the output.
      expect(Math.abs(s.std / target - 1)).toBeLessThan(Math.max(0.03, 5 / Math.sqrt(2 * n)));
      expect(Math.abs(s.mean)).toBeLessThan((5 * target) / Math.sqrt(n));
      expect(p.biases[l]!.every((b) => b === 0)).toBe(true);
    }
  });

  it('glorotNormal draws from the rng it is given', () => {
    const a = glorotNormal(TINY, new Rng(1, 'x'));
    const b = glorotNormal(TINY, new Rng(1, 'x'));
    const c = glorotNormal(TINY, new Rng(1, 'y'));
    expect(fingerprint(a.weights)).toBe(fingerprint(b.weights));
    expect(fingerprint(c.weights)).not.toBe(fingerprint(a.weights));
  });
});

describe('applyMasks, cloneParams', () => {
  it('zeroes exactly the pruned weights and copies biases', () => {
    const p: Params = {
      weights: [new Float32Array([1, -2, 3, -4])],
      biases: [new Float32Array([5, 6])],
    };
    const out = applyMasks(p, [new Mask(new Uint8Array([1, 0, 0, 1]))]);
    expect(Array.from(out.weights[0]!)).toEqual([1, 0, 0, -4]);
    expect(Array.from(out.biases[0]!)).toEqual([5, 6]);
    out.biases[0]![0] = 99;
    expect(p.biases[0]![0]).toBe(5); // a copy, not a view
    expect(Array.from(p.weights[0]!)).toEqual([1, -2, 3, -4]); // source untouched
  });

  it('cloneParams copies deeply', () => {
    const p = initialParams(TINY, 0);
    const c = cloneParams(p);
    expect(fingerprint(c.weights)).toBe(fingerprint(p.weights));
    c.weights[0]![0] = 123;
    c.biases[0]![0] = 1;
    expect(p.weights[0]![0]).not.toBe(123);
    expect(p.biases[0]![0]).toBe(0);
  });
});

describe('starts of the ticket and the controls', () => {
  const theta0 = initialParams(TINY, 0);
  // A source with nonzero biases, as a rewind point would have, to see that biases are carried.
  const source: Params = {
    weights: theta0.weights,
    biases: theta0.biases.map((b, l) => Float32Array.from(b, (_, i) => 0.01 * (i + 1) * (l + 1))),
  };
  const masks = randomMasks(weightSizes(TINY), 0.3, 1);

  it('ticketStart is the source ⊙ mask', () => {
    const t = ticketStart(source, masks);
    t.params.weights.forEach((w, l) => {
      w.forEach((v, i) => expect(v).toBe(masks[l]!.bits[i] ? source.weights[l]![i] : 0));
      expect(t.masks[l]).toBe(masks[l]);
    });
    t.params.biases.forEach((b, l) => expect(Array.from(b)).toEqual(Array.from(source.biases[l]!)));
  });

  it('reinit keeps the mask exactly, draws fresh values, zero elsewhere', () => {
    const r = controlStart('reinit', TINY, source, masks, new Rng(0, 'control', 'reinit', 1));
    r.masks.forEach((m, l) => {
      expect(m.equals(masks[l]!)).toBe(true);
      const w = r.params.weights[l]!;
      let same = 0;
      for (let i = 0; i < w.length; i++) {
        if (!m.bits[i]) expect(Object.is(w[i], 0)).toBe(true);
        else if (w[i] === source.weights[l]![i]) same++;
      }
      expect(same).toBe(0);
      // Fresh values from the same Glorot distribution.
      if (m.count > 1000)
        expect(Math.abs(std(kept(w, m)).std / glorotStd(TINY[l]!, TINY[l + 1]!) - 1)).toBeLessThan(
          0.05,
        );
    });
    // A whole fresh init: Glorot biases are zero even when the source's (a rewind point) are not.
    expect(source.biases.some((b) => b.some((v) => v !== 0))).toBe(true);
    r.params.biases.forEach((b) => expect(b.every((v) => v === 0)).toBe(true));
  });

  it('rearrange keeps per-layer counts and the multiset of surviving values, not their positions', () => {
    const r = controlStart('rearrange', TINY, source, masks, new Rng(0, 'control', 'rearrange', 1));
    r.masks.forEach((m, l) => {
      expect(m.count).toBe(masks[l]!.count);
      expect(m.equals(masks[l]!)).toBe(false);
      const w = r.params.weights[l]!;
      for (let i = 0; i < w.length; i++) if (!m.bits[i]) expect(Object.is(w[i], 0)).toBe(true);
      expect(sorted(kept(w, m))).toEqual(sorted(kept(source.weights[l]!, masks[l]!)));
      // The values moved: few survivors keep their value at their old position.
      let stayed = 0;
      for (let i = 0; i < w.length; i++)
        if (m.bits[i] && masks[l]!.bits[i] && w[i] === source.weights[l]![i]) stayed++;
      expect(stayed).toBeLessThan(0.5 * m.count);
      // And shuffled, not just moved in order: read in position order, the survivors' values are
      // not the source's survivors in their position order.
      expect(kept(w, m)).not.toEqual(kept(source.weights[l]!, masks[l]!));
    });
    r.params.biases.forEach((b, l) => expect(Array.from(b)).toEqual(Array.from(source.biases[l]!)));
  });

  it('random keeps per-layer counts and takes the source values at its own mask', () => {
    const r = controlStart('random', TINY, source, masks, new Rng(0, 'control', 'random', 1));
    r.masks.forEach((m, l) => {
      expect(m.count).toBe(masks[l]!.count);
      expect(m.equals(masks[l]!)).toBe(false);
      const w = r.params.weights[l]!;
      for (let i = 0; i < w.length; i++) expect(w[i]).toBe(m.bits[i] ? source.weights[l]![i] : 0);
    });
    r.params.biases.forEach((b, l) => expect(Array.from(b)).toEqual(Array.from(source.biases[l]!)));
  });

  it('signed keeps the mask and every survivor’s sign in the source, with fresh Glorot magnitudes', () => {
    const r = controlStart('signed', TINY, source, masks, new Rng(0, 'control', 'signed', 1));
    const reinit = controlStart('reinit', TINY, source, masks, new Rng(0, 'control', 'signed', 1));
    r.masks.forEach((m, l) => {
      expect(m.equals(masks[l]!)).toBe(true);
      const w = r.params.weights[l]!;
      const s = source.weights[l]!;
      let same = 0;
      for (let i = 0; i < w.length; i++) {
        if (!m.bits[i]) expect(Object.is(w[i], 0)).toBe(true);
        else {
          expect(Math.sign(w[i]!)).toBe(Math.sign(s[i]!));
          // The magnitude is the fresh draw's (the reinit of the same stream), not the source's.
          expect(Math.abs(w[i]!)).toBe(Math.abs(reinit.params.weights[l]![i]!));
          if (Math.abs(w[i]!) === Math.abs(s[i]!)) same++;
        }
      }
      expect(same).toBe(0);
    });
    r.params.biases.forEach((b) => expect(b.every((v) => v === 0)).toBe(true));
  });

  it('bimodal draws dense layers from the survivors’ values; bimodal-glorot at Glorot’s deviation', () => {
    // A magnitude mask, as a ticket's: its survivors are the large values, a bimodal set.
    const sizes = weightSizes(TINY);
    const masks = keepLargestPerLayer(
      source.weights,
      sizes.map((n) => Mask.ones(n)),
      sizes.map((n) => Math.round(0.3 * n)),
    );
    const a = bimodalStart('bimodal', TINY, source, masks, new Rng(0, 'control', 'bimodal', 1));
    const g = bimodalStart('bimodal-glorot', TINY, source, masks, new Rng(0, 'bimodal', 1));
    a.masks.forEach((m) => expect(m.count).toBe(m.size));
    a.params.weights.forEach((w, l) => {
      const pool = new Set(kept(source.weights[l]!, masks[l]!));
      // Every weight is one of the layer's surviving starting values: none near zero that the
      // mask removed, so the layer is as bimodal as its survivors.
      for (const v of w) expect(pool.has(v)).toBe(true);
      const rms = (xs: ArrayLike<number>) =>
        Math.sqrt(Array.from(xs).reduce((s, v) => s + v * v, 0) / xs.length);
      const target = glorotStd(TINY[l]!, TINY[l + 1]!);
      if (w.length > 1000) {
        expect(rms(w) / rms(kept(source.weights[l]!, masks[l]!))).toBeCloseTo(1, 1);
        expect(rms(g.params.weights[l]!) / target).toBeCloseTo(1, 1);
        expect(rms(w) / target).toBeGreaterThan(1.1);
      }
    });
    a.params.biases.forEach((b) => expect(b.every((v) => v === 0)).toBe(true));
    const empty = masks.map((m) => new Mask(new Uint8Array(m.size)));
    expect(() => bimodalStart('bimodal', TINY, source, empty, new Rng(0, 'x'))).toThrow(
      /no survivors/,
    );
  });

  it('the controls are reproducible from their rng and differ between streams', () => {
    for (const control of ['reinit', 'rearrange', 'random', 'signed'] as const) {
      const a = controlStart(control, TINY, source, masks, new Rng(0, 'control', control, 1));
      const b = controlStart(control, TINY, source, masks, new Rng(0, 'control', control, 1));
      const c = controlStart(control, TINY, source, masks, new Rng(0, 'control', control, 2));
      expect(fingerprint(a.params.weights)).toBe(fingerprint(b.params.weights));
      expect(fingerprint(c.params.weights)).not.toBe(fingerprint(a.params.weights));
    }
  });

  it('does not modify the source or the masks', () => {
    const before = fingerprint(source.weights);
    const bits = masks.map((m) => m.bits.slice());
    for (const control of ['reinit', 'rearrange', 'random', 'signed'] as const)
      controlStart(control, TINY, source, masks, new Rng(0, control));
    bimodalStart('bimodal', TINY, source, masks, new Rng(0, 'bimodal'));
    expect(fingerprint(source.weights)).toBe(before);
    masks.forEach((m, l) => expect(m.bits).toEqual(bits[l]));
  });
});
