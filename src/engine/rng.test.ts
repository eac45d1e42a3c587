import { describe, expect, it } from 'vitest';
import { Rng, fingerprint, ln } from './rng';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng streams', () => {
  it('gives the same sequence for the same seed and stream', () => {
    expect(draw(new Rng(7, 'theta0'), 64)).toEqual(draw(new Rng(7, 'theta0'), 64));
    expect(draw(new Rng(7, 'data', 3), 64)).toEqual(draw(new Rng(7, 'data', 3), 64));
  });

  it('gives different sequences for different streams or seeds', () => {
    const base = draw(new Rng(7, 'theta0'), 16);
    expect(draw(new Rng(7, 'data'), 16)).not.toEqual(base);
    expect(draw(new Rng(8, 'theta0'), 16)).not.toEqual(base);
    expect(draw(new Rng(7), 16)).not.toEqual(base);
    // A number and the string of that number name different streams.
    expect(draw(new Rng(7, 'data', 1), 16)).not.toEqual(draw(new Rng(7, 'data', '1'), 16));
    // Stream components are not concatenated ambiguously.
    expect(draw(new Rng(7, 'ab', 'c'), 16)).not.toEqual(draw(new Rng(7, 'a', 'bc'), 16));
  });

  it('draws 32-bit unsigned integers and uniforms in [0, 1)', () => {
    const rng = new Rng(1, 'u');
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = rng.nextUint32();
      expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    // Mean of n uniforms: 0.5 ± 0.29/√n; 5σ ≈ 0.01.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });
});

describe('ln', () => {
  it('matches Math.log to ~1e-15 relative over (0, 1]', () => {
    const rng = new Rng(0, 'ln');
    const xs: number[] = [
      1,
      0.5,
      0.25,
      2 ** -30,
      1 - 2 ** -53,
      0.7071067811865476,
      0.7071067811865475,
      Number.MIN_VALUE,
      1e-300,
    ];
    for (let i = 0; i < 20000; i++) xs.push(1 - rng.uniform()); // (0, 1]
    for (let i = 0; i < 2000; i++) xs.push((1 - rng.uniform()) * 2 ** -(1 + rng.int(1000))); // tiny values
    let worst = 0;
    for (const x of xs) {
      const ref = Math.log(x);
      const err = ref === 0 ? Math.abs(ln(x)) : Math.abs(ln(x) - ref) / Math.abs(ref);
      worst = Math.max(worst, err);
    }
    expect(ln(1)).toBe(0);
    expect(worst).toBeLessThan(1e-15);
  });

  it('throws on zero, negative numbers and NaN', () => {
    expect(() => ln(0)).toThrow(RangeError);
    expect(() => ln(-0)).toThrow(RangeError);
    expect(() => ln(-1e-10)).toThrow(RangeError);
    expect(() => ln(Number.NaN)).toThrow(RangeError);
  });
});

describe('normal', () => {
  it('has mean ≈ 0, std ≈ 1 and Gaussian tails over 1e5 draws', () => {
    const rng = new Rng(3, 'normal');
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.015); // σ of the mean is 0.0032
    expect(Math.abs(std - 1)).toBeLessThan(0.01); // σ of the std is 0.0022
    // P(|z| > 2) = 0.0455 for N(0, 1): rules out e.g. a uniform of the same variance (0).
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.004);
  });

  it('is reproducible from the seed', () => {
    const a = new Rng(5, 'n');
    const b = new Rng(5, 'n');
    for (let i = 0; i < 101; i++) expect(a.normal()).toBe(b.normal());
  });
});

describe('int, shuffle, permutation', () => {
  it('int(n) stays in [0, n) and hits every value', () => {
    const rng = new Rng(2, 'int');
    for (const n of [1, 2, 3, 7, 10, 1000, 2 ** 31 + 1, 2 ** 32]) {
      const seen = new Set<number>();
      for (let i = 0; i < 2000; i++) {
        const x = rng.int(n);
        expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
        seen.add(x);
      }
      if (n <= 10) expect(seen.size).toBe(n);
    }
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(-3)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('int(n) is roughly uniform', () => {
    const rng = new Rng(2, 'uniformity');
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500); // σ ≈ 91
  });

  it('permutation(n) is a permutation of 0..n-1, different per stream', () => {
    for (const n of [0, 1, 2, 10, 1000]) {
      const p = new Rng(4, 'perm', n).permutation(n);
      expect(p.length).toBe(n);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    const a = new Rng(4, 'perm').permutation(1000);
    const b = new Rng(4, 'perm').permutation(1000);
    const c = new Rng(5, 'perm').permutation(1000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Shuffled: far from the identity.
    let fixed = 0;
    a.forEach((v, i) => (fixed += v === i ? 1 : 0));
    expect(fixed).toBeLessThan(10);
  });

  it('shuffle keeps the elements of a plain array', () => {
    const xs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const out = new Rng(9, 's').shuffle(xs.slice());
    expect(out.slice().sort()).toEqual(xs);
    expect(out).not.toEqual(xs);
  });
});

describe('fingerprint', () => {
  it('is stable for the same bytes and changes when one bit flips', () => {
    const a = new Float32Array(1000).map((_, i) => Math.sin(i));
    const fp = fingerprint([a]);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(fingerprint([a.slice()])).toBe(fp);
    for (const index of [0, 500, 999]) {
      for (const bit of [0, 7]) {
        const b = a.slice();
        const bytes = new Uint8Array(b.buffer);
        bytes[index * 4 + (bit === 0 ? 0 : 3)]! ^= 1 << bit;
        expect(fingerprint([b])).not.toBe(fp);
      }
    }
  });

  it('reads only the view it is given, not the whole buffer', () => {
    const buf = new Float32Array([1, 2, 3, 4]);
    const view = buf.subarray(1, 3);
    expect(fingerprint([view])).toBe(fingerprint([new Float32Array([2, 3])]));
  });

  it('pins a known value (FNV-1a over bytes)', () => {
    // FNV-1a 32 of no bytes is the offset basis.
    expect(fingerprint([])).toBe('811c9dc5');
    // 1.0f is bytes 00 00 80 3f (little endian); FNV-1a 32 of them, computed independently.
    expect(fingerprint([new Float32Array([1])])).toBe('1b587698');
    // Arrays are hashed as one byte stream, in order.
    expect(fingerprint([new Float32Array([1]), new Float32Array([2])])).toBe(
      fingerprint([new Float32Array([1, 2])]),
    );
    expect(fingerprint([new Float32Array([1, 2])])).not.toBe(
      fingerprint([new Float32Array([2, 1])]),
    );
  });
});
