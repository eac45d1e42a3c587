import { describe, expect, it } from 'vitest';
import { Mask, assertShrinks, remainingFraction } from './mask';

const mask = (...bits: number[]) => new Mask(Uint8Array.from(bits));

describe('Mask', () => {
  it('accepts only 0/1 entries', () => {
    expect(() => mask(0, 1, 2)).toThrow(/0 or 1, found 2 at 2/);
    expect(() => mask(255)).toThrow(RangeError);
    expect(() => mask(0, 1, 1, 0)).not.toThrow();
  });

  it('knows its count, size and density', () => {
    const m = mask(1, 0, 1, 1, 0);
    expect(m.count).toBe(3);
    expect(m.size).toBe(5);
    expect(m.density).toBeCloseTo(0.6, 15);
    expect(mask(0, 0).density).toBe(0);
    expect(new Mask(new Uint8Array(0)).density).toBe(1);
    const ones = Mask.ones(7);
    expect(ones.count).toBe(7);
    expect(ones.density).toBe(1);
  });

  it('isSubsetOf: every kept weight is kept by the outer mask', () => {
    const outer = mask(1, 1, 0, 1);
    expect(mask(1, 0, 0, 1).isSubsetOf(outer)).toBe(true);
    expect(mask(0, 0, 0, 0).isSubsetOf(outer)).toBe(true);
    expect(outer.isSubsetOf(outer)).toBe(true);
    expect(mask(1, 0, 1, 0).isSubsetOf(outer)).toBe(false); // revives index 2
    expect(outer.isSubsetOf(mask(1, 0, 0, 1))).toBe(false);
    expect(mask(1, 0).isSubsetOf(outer)).toBe(false); // different sizes
  });

  it('equals compares bits and size', () => {
    expect(mask(1, 0, 1).equals(mask(1, 0, 1))).toBe(true);
    expect(mask(1, 0, 1).equals(mask(1, 1, 1))).toBe(false);
    expect(mask(1, 0).equals(mask(1, 0, 0))).toBe(false);
  });

  it('converts to float32 0/1', () => {
    const f = mask(1, 0, 1).toFloat32();
    expect(f).toBeInstanceOf(Float32Array);
    expect(Array.from(f)).toEqual([1, 0, 1]);
  });
});

describe('remainingFraction', () => {
  it('is kept / total over all layers (P_m), not a mean of densities', () => {
    expect(remainingFraction([mask(1, 1, 1, 0), mask(0, 0)])).toBeCloseTo(3 / 6, 15);
    expect(remainingFraction([Mask.ones(10), mask(0)])).toBeCloseTo(10 / 11, 15);
    expect(remainingFraction([])).toBe(1);
  });
});

describe('assertShrinks', () => {
  const prev = [mask(1, 1, 0, 1), mask(1, 1)];

  it('accepts masks that only shrink (or stay)', () => {
    expect(() => assertShrinks([mask(1, 0, 0, 1), mask(0, 1)], prev)).not.toThrow();
    expect(() => assertShrinks(prev, prev)).not.toThrow();
  });

  it('throws when a pruned weight is revived, naming the layer', () => {
    expect(() => assertShrinks([mask(1, 1, 1, 1), mask(1, 1)], prev)).toThrow(
      /layer 0: the new mask revives/,
    );
    expect(() =>
      assertShrinks([mask(1, 0, 0, 0), mask(1, 1)], [mask(1, 0, 0, 0), mask(0, 1)]),
    ).toThrow(/layer 1/);
  });

  it('throws when the number of layers changes', () => {
    expect(() => assertShrinks([mask(1, 0, 0, 1)], prev)).toThrow(/mask count changed/);
  });
});
