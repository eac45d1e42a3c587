/**
 * Masks on disk: one bit per weight, least significant bit first, so a 784×300 layer takes
 * 29,400 bytes instead of 235,200. Used by the ticket file and by the run history.
 */

/** Packs 0/1 entries (anything non-zero counts as 1) into ceil(n / 8) bytes. */
export function packBits(entries: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(entries.length / 8));
  for (let i = 0; i < entries.length; i++) if (entries[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The first `n` entries of packed bits, as 0/1 bytes. Throws if `packed` is too short. */
export function unpackBits(packed: Uint8Array, n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`bit count must be a whole number ≥ 0, got ${n}`);
  if (packed.length < Math.ceil(n / 8))
    throw new RangeError(`${n} bits need ${Math.ceil(n / 8)} bytes, got ${packed.length}`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (packed[i >> 3]! >> (i & 7)) & 1;
  return out;
}

/** Number of set bits among the first `n` of `packed`. */
export function countBits(packed: Uint8Array, n: number): number {
  let count = 0;
  const whole = n >> 3;
  for (let i = 0; i < whole; i++) {
    let b = packed[i]!;
    while (b) {
      b &= b - 1;
      count++;
    }
  }
  for (let i = whole * 8; i < n; i++) count += (packed[i >> 3]! >> (i & 7)) & 1;
  return count;
}
