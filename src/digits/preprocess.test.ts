/**
 * MNIST's own preprocessing, checked against MNIST itself: a real test digit blown up and moved
 * about a pad-sized image, the way a drawing arrives, comes back as the digit MNIST holds.
 */
import { describe, expect, it } from 'vitest';
import { loadMnistFromDisk } from '../node-host/node-mnist';
import {
  BLANK_MESSAGE,
  MNIST_CENTRE,
  centreOfMass,
  inkBox,
  prepareDrawing,
  type Prepared,
} from './preprocess';

const DIGITS = 500;
const mnist = loadMnistFromDisk();
const digit = (i: number) => mnist.testImages.subarray(i * 784, (i + 1) * 784);

/** `img` (28×28) scaled by `k` into a `w`×`h` image at (`ox`, `oy`), bilinear or nearest. */
function blowUp(
  img: Uint8Array,
  k: number,
  w: number,
  h: number,
  ox: number,
  oy: number,
  smooth: boolean,
): Uint8Array {
  const big = new Uint8Array(w * h);
  const side = Math.floor(28 * k);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : img[y * 28 + x]!);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let v: number;
      if (!smooth) v = at(Math.floor(x / k), Math.floor(y / k));
      else {
        const sx = (x + 0.5) / k - 0.5,
          sy = (y + 0.5) / k - 0.5;
        const x0 = Math.floor(sx),
          y0 = Math.floor(sy),
          fx = sx - x0,
          fy = sy - y0;
        v =
          (1 - fx) * (1 - fy) * at(x0, y0) +
          fx * (1 - fy) * at(x0 + 1, y0) +
          (1 - fx) * fy * at(x0, y0 + 1) +
          fx * fy * at(x0 + 1, y0 + 1);
      }
      big[(oy + y) * w + ox + x] = Math.round(v);
    }
  return big;
}

function pixelsOf(p: Prepared): Uint8Array {
  if (p.kind !== 'digit') throw new Error(`expected a digit, got: ${p.message}`);
  return p.pixels;
}

/** Pearson's correlation of two images' pixels: 1 = the same picture up to brightness. */
const correlation = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i]! / n, mb + b[i]! / n];
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < n; i++) {
    const [da, db] = [a[i]! - ma, b[i]! - mb];
    [ab, aa, bb] = [ab + da * db, aa + da * da, bb + db * db];
  }
  return ab / Math.sqrt(aa * bb);
};

/** `img` moved by (dx, dy) whole pixels, zeros shifted in. */
function shifted(img: Uint8Array, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      const [sx, sy] = [x - dx, y - dy];
      if (sx >= 0 && sy >= 0 && sx < 28 && sy < 28) out[y * 28 + x] = img[sy * 28 + sx]!;
    }
  return out;
}

/** The best correlation of `a` with `b` moved by at most one pixel either way. */
const nearCorrelation = (a: Uint8Array, b: Uint8Array) =>
  Math.max(
    ...[-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => correlation(a, shifted(b, dx, dy)))),
  );

const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! - b[i]!);
  return d / a.length;
};

describe('prepareDrawing (MNIST: 20×20 box by aspect ratio, centre of mass at the centre)', () => {
  it("puts the centre of mass where MNIST's own digits have theirs", () => {
    let x = 0,
      y = 0;
    for (let i = 0; i < 2000; i++) {
      const c = centreOfMass(digit(i), 28, 28)!;
      x += c.x / 2000;
      y += c.y / 2000;
    }
    expect(Math.abs(x - MNIST_CENTRE)).toBeLessThan(0.05);
    expect(Math.abs(y - MNIST_CENTRE)).toBeLessThan(0.05);
    // And their larger side fills the 20-pixel box the recipe scales to.
    for (let i = 0; i < DIGITS; i++) {
      const b = inkBox(digit(i), 28, 28)!;
      expect(Math.max(b.width, b.height)).toBe(20);
    }
  });

  it('gives back a real digit blown up ×10 and moved off-centre in a big image: ≥ 95% exactly, all within 1 grey level on average', () => {
    let exact = 0;
    for (let i = 0; i < DIGITS; i++) {
      const big = blowUp(digit(i), 10, 400, 330, 37 + (i % 50), 21 + (i % 29), false);
      const back = pixelsOf(prepareDrawing(big, 400, 330));
      const d = meanAbsDiff(back, digit(i));
      expect(d).toBeLessThanOrEqual(1);
      if (d === 0) exact++;
    }
    expect(exact / DIGITS).toBeGreaterThanOrEqual(0.95);
  });

  // Smooth scaling spreads a fringe of faint ink around the strokes, so the box it finds is a
  // little larger and the centring may round to the next pixel: measured over these 500 digits,
  // correlation (up to a one-pixel shift) median 0.963, lowest 0.846.
  it('gives back a real digit scaled smoothly by a non-whole 7.3 into a corner: correlation ≥ 0.8 each (up to a 1-pixel shift), median ≥ 0.95', () => {
    const diffs: number[] = [];
    for (let i = 0; i < DIGITS; i++) {
      const big = blowUp(digit(i), 7.3, 320, 320, 0, 110, true);
      diffs.push(nearCorrelation(pixelsOf(prepareDrawing(big, 320, 320)), digit(i)));
    }
    diffs.sort((a, b) => a - b);
    expect(diffs[0]).toBeGreaterThanOrEqual(0.8);
    expect(diffs[DIGITS / 2]).toBeGreaterThanOrEqual(0.95);
  });

  it('tells a real digit from the others: each comes back nearest to itself or another of its own digit (two 1s can be near twins)', () => {
    const n = 100;
    let selves = 0;
    for (let i = 0; i < n; i++) {
      const back = pixelsOf(
        prepareDrawing(blowUp(digit(i), 7.3, 320, 320, 50, 20, true), 320, 320),
      );
      let best = -1,
        bestD = Infinity;
      for (let j = 0; j < n; j++) {
        const d = -nearCorrelation(back, digit(j));
        if (d < bestD) [best, bestD] = [j, d];
      }
      if (best !== i) expect(mnist.testLabels[best]).toBe(mnist.testLabels[i]);
      else selves++;
    }
    expect(selves).toBeGreaterThanOrEqual(95);
  });

  it('keeps the aspect ratio: a tall thin stroke becomes a 20-pixel-high line, centred', () => {
    const w = 280,
      h = 280;
    const ink = new Uint8Array(w * h);
    for (let y = 30; y < 230; y++) for (let x = 200; x < 220; x++) ink[y * w + x] = 255;
    const px = pixelsOf(prepareDrawing(ink, w, h));
    const box = inkBox(px, 28, 28)!;
    expect(box.width).toBe(2);
    expect(box.height).toBe(20);
    const c = centreOfMass(px, 28, 28)!;
    expect(Math.abs(c.x - MNIST_CENTRE)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(c.y - MNIST_CENTRE)).toBeLessThanOrEqual(0.5);
  });

  it('is the same digit drawn small in a corner or big in the middle', () => {
    const a = pixelsOf(prepareDrawing(blowUp(digit(7), 4, 280, 280, 0, 0, false), 280, 280));
    const b = pixelsOf(prepareDrawing(blowUp(digit(7), 10, 280, 280, 0, 0, false), 280, 280));
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('answers a blank drawing with "draw a digit first", not a digit', () => {
    expect(prepareDrawing(new Uint8Array(280 * 280), 280, 280)).toEqual({
      kind: 'blank',
      message: BLANK_MESSAGE,
    });
    // A canvas's faintest anti-aliased fringe alone is still no digit.
    const fringe = new Uint8Array(280 * 280).fill(5);
    expect(prepareDrawing(fringe, 280, 280).kind).toBe('blank');
    expect(BLANK_MESSAGE).toMatch(/draw a digit first/i);
  });

  it('refuses pixels that do not match the size it is told', () => {
    expect(() => prepareDrawing(new Uint8Array(10), 4, 4)).toThrow(/4×4 needs 16 pixels, got 10/);
    expect(() => prepareDrawing(new Uint8Array(0), 0, 0)).toThrow();
  });
});
