/**
 * A drawing made into an MNIST image by MNIST's own recipe (LeCun, Cortes & Burges, "The MNIST
 * database"): "the images were size normalized to fit in a 20×20 pixel box while preserving their
 * aspect ratio … the resulting images contain grey levels as a result of the anti-aliasing
 * technique used by the normalization algorithm. The images were centered in a 28×28 image by
 * computing the center of mass of the pixels, and translating the image so as to position this
 * point at the center of the 28×28 field."
 *
 * Pure: ink in (any size, 0 = background … 255 = ink), 784 bytes out, in the format the worker's
 * `classify` command takes. The net was trained on images made this way, so a drawing made any
 * other way (a stroke in a corner, a digit filling the pad) is read as something it never saw.
 */

export const MNIST_SIDE = 28;
/** Where MNIST puts a digit's centre of mass, in pixel indices, on both axes. */
export const MNIST_CENTRE = 14;
/** The box a digit's larger side is scaled to. */
export const DIGIT_BOX = 20;

/** Ink at or below this (of 255) is paper: a canvas's faintest anti-aliased fringe is ignored. */
export const INK_THRESHOLD = 8;

export type Prepared =
  | { kind: 'digit'; pixels: Uint8Array }
  /** Nothing drawn: there is no digit to classify, and the answer says so. */
  | { kind: 'blank'; message: string };

export const BLANK_MESSAGE = 'Draw a digit first: the pad is empty.';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest rectangle holding every pixel with ink above the threshold; null: none. */
export function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let left = width,
    right = -1,
    top = height,
    bottom = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x]! > INK_THRESHOLD) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * The box resampled to `outW`×`outH` by area: each output pixel is the mean of the source area it
 * covers, fractional edge pixels weighted by how much of them it covers. Shrinking, this is the
 * anti-aliasing MNIST's grey levels come from; growing, it is nearest-neighbour.
 */
function resampleByArea(
  ink: ArrayLike<number>,
  width: number,
  box: Box,
  outW: number,
  outH: number,
): Float64Array {
  const out = new Float64Array(outW * outH);
  const sx = box.width / outW;
  const sy = box.height / outH;
  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * sy,
      y1 = y0 + sy;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * sx,
        x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), box.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        const row = (box.top + y) * width + box.left;
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), box.width); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * ink[row + x]!;
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/**
 * Where the ink's centre of mass sits, in pixel indices (a mass all in pixel (3, 5) sits at x = 3,
 * y = 5). MNIST's own digits have theirs at (14, 14) of 0 … 27: measured over the first 2,000
 * test digits, x 14.00 and y 13.99 on average (preprocess.test.ts checks it).
 */
export function centreOfMass(
  img: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } | null {
  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = img[y * width + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  return mass > 0 ? { x: mx / mass, y: my / mass } : null;
}

/**
 * A drawing (`ink`, row-major, `width`×`height`, 0 … 255) as MNIST would have made it: its ink's
 * bounding box scaled to fit 20×20 keeping its aspect ratio (anti-aliased by area), placed in
 * 28×28 so its centre of mass is at the centre (a whole-pixel shift, as a translation keeps the
 * grey levels; the box is kept inside the field).
 */
export function prepareDrawing(ink: ArrayLike<number>, width: number, height: number): Prepared {
  if (!(width > 0 && height > 0) || ink.length !== width * height)
    throw new Error(
      `a drawing of ${width}×${height} needs ${width * height} pixels, got ${ink.length}`,
    );
  const box = inkBox(ink, width, height);
  if (!box) return { kind: 'blank', message: BLANK_MESSAGE };
  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const outW = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.width * scale)));
  const outH = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.height * scale)));
  const small = resampleByArea(ink, width, box, outW, outH);
  const com = centreOfMass(small, outW, outH)!;
  const place = (size: number, c: number) =>
    Math.min(MNIST_SIDE - size, Math.max(0, Math.round(MNIST_CENTRE - c)));
  const left = place(outW, com.x);
  const top = place(outH, com.y);
  const pixels = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++)
      pixels[(top + y) * MNIST_SIDE + left + x] = Math.min(
        255,
        Math.max(0, Math.round(small[y * outW + x]!)),
      );
  return { kind: 'digit', pixels };
}
