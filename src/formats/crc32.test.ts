import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('a'))).toBe(0xe8b7be43);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it('checks only the range asked for', () => {
    const bytes = ascii('xx123456789yyy');
    expect(crc32(bytes, 2, 11)).toBe(0xcbf43926);
    expect(crc32(bytes, 2, 11)).toBe(crc32(bytes.subarray(2, 11)));
    expect(crc32(bytes, 5, 5)).toBe(0);
  });

  it('is unsigned and changes with every single bit flipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (bytes, pick) => {
        const c = crc32(bytes);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThan(2 ** 32);
        const bit = pick % (bytes.length * 8);
        const flipped = bytes.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        expect(crc32(flipped)).not.toBe(c);
      }),
    );
  });
});
