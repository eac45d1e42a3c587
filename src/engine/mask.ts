/**
 * A layer's mask: 1 keeps a weight, 0 prunes it. A checked value object (open_lth's Mask):
 * only 0/1 entries, knows its count and density, and a new mask may only shrink an old one.
 */
export class Mask {
  readonly count: number;

  constructor(readonly bits: Uint8Array) {
    let n = 0;
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      if (b > 1) throw new RangeError(`Mask entries must be 0 or 1, found ${b} at ${i}`);
      n += b;
    }
    this.count = n;
  }

  static ones(size: number): Mask {
    return new Mask(new Uint8Array(size).fill(1));
  }

  get size(): number {
    return this.bits.length;
  }

  /** Fraction of weights that survive. */
  get density(): number {
    return this.size === 0 ? 1 : this.count / this.size;
  }

  /** True if every weight this mask keeps is also kept by `outer`. */
  isSubsetOf(outer: Mask): boolean {
    if (outer.size !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (this.bits[i]! > outer.bits[i]!) return false;
    return true;
  }

  /** The mask as float32 0/1, the form multiplied into gradients. */
  toFloat32(): Float32Array {
    return Float32Array.from(this.bits);
  }

  equals(other: Mask): boolean {
    if (other.size !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (this.bits[i] !== other.bits[i]) return false;
    return true;
  }
}

/** One mask per weight matrix (biases are never pruned and have none). */
export type Masks = readonly Mask[];

/** Fraction of all prunable weights that remain: the paper's P_m. */
export function remainingFraction(masks: Masks): number {
  let kept = 0;
  let total = 0;
  for (const m of masks) {
    kept += m.count;
    total += m.size;
  }
  return total === 0 ? 1 : kept / total;
}

/** Throws unless every mask is a subset of its predecessor: masks only shrink. */
export function assertShrinks(next: Masks, prev: Masks): void {
  if (next.length !== prev.length)
    throw new Error(`mask count changed from ${prev.length} to ${next.length}`);
  next.forEach((m, i) => {
    if (!m.isSubsetOf(prev[i]!)) throw new Error(`layer ${i}: the new mask revives pruned weights`);
  });
}
