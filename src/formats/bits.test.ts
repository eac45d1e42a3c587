import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBits, packBits, unpackBits } from './bits';

describe('bit-packed masks', () => {
  it('packs least significant bit first', () => {
    expect([...packBits(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1]))]).toEqual([0b1000_0001, 0b1]);
  });

  it('round-trips any mask and counts its ones', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300, min: 0, max: 1 }), (m) => {
        const packed = packBits(m);
        expect(packed.length).toBe(Math.ceil(m.length / 8));
        expect([...unpackBits(packed, m.length)]).toEqual([...m]);
        expect(countBits(packed, m.length)).toBe(m.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('refuses too few bytes for the count asked', () => {
    expect(() => unpackBits(new Uint8Array(1), 9)).toThrow('9 bits need 2 bytes, got 1');
    expect(() => unpackBits(new Uint8Array(1), -1)).toThrow(RangeError);
  });
});
