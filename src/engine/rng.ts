/**
 * An explicit, seeded random number generator: every random choice in the lab (θ0, the data
 * order, the controls' draws) comes from one of these, derived from the run's seed and a name.
 * There is no hidden global state to reseed.
 *
 * Bit-for-bit reproducibility: the generator is sfc32 (32-bit integer arithmetic), and the
 * Gaussian uses the Marsaglia polar method with a logarithm computed here from +, -, *, / and
 * sqrt only. Those are correctly rounded by IEEE 754 in every JavaScript engine, whereas
 * Math.log and Math.cos are left to each engine's approximation. So the same seed gives the same
 * θ0 in Node, in every browser and on every tfjs backend (θ0 is drawn on the CPU, then uploaded).
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  /** `seed` is any integer; `streams` name independent sub-streams (e.g. "theta0", "data", 3). */
  constructor(seed: number, ...streams: (string | number)[]) {
    const h = hashKey([seed, ...streams]);
    this.a = h[0]!;
    this.b = h[1]!;
    this.c = h[2]!;
    this.d = h[3]!;
    // Discard the first outputs: sfc32 mixes its state over its first few steps.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n > 0) || n > 2 ** 32 || !Number.isInteger(n))
      throw new RangeError(`Rng.int: bad bound ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal N(0, 1), Marsaglia polar method. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * ln(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(xs: T): T {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

const LN2 = 0.6931471805599453;

/**
 * Natural logarithm for x in (0, 1], from exactly rounded operations only (see the class
 * comment). x = m · 2^e with m in [1/√2, √2); ln m = 2·atanh(z), z = (m-1)/(m+1), |z| < 0.172,
 * summed until the terms vanish: accurate to ~1 ulp, and identical everywhere.
 */
export function ln(x: number): number {
  if (!(x > 0 && x < Infinity)) throw new RangeError(`ln: ${x} is not a positive finite number`);
  let e = 0;
  let m = x;
  while (m < 0.7071067811865476) {
    m *= 2;
    e -= 1;
  }
  while (m > 1.4142135623730951) {
    m /= 2;
    e += 1;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let k = 1; k < 60; k += 2) {
    const next = sum + term / k;
    if (next === sum) break;
    sum = next;
    term *= z2;
  }
  return 2 * sum + e * LN2;
}

/** 128 bits of state from a key: murmur3-style mixing of the key's canonical string. */
function hashKey(key: (string | number)[]): [number, number, number, number] {
  const text = key.map((k) => (typeof k === 'number' ? `n${k}` : `s${k}`)).join('\u0000');
  let h1 = 0x9e3779b9;
  let h2 = 0x243f6a88;
  let h3 = 0xb7e15162;
  let h4 = 0xdeadbeef;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ ch, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ ch, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ ch, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ ch, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** FNV-1a over the bytes of float arrays: a cheap fingerprint to compare θ0 across platforms. */
export function fingerprint(arrays: readonly Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
