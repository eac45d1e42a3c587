/**
 * Evaluation's first layer through the input's own sparsity (assembly/lenet.ts, litForward): an
 * MNIST digit lights ~19% of its pixels, the rest is one background value whose share of every
 * sum is a constant of the weights. Evaluation is half of every round at the paper's protocol
 * (15,000 held-out images every 100 steps, issue 17), and the first layer is ~88% of its
 * arithmetic; here it costs what the lit pixels cost. The held-out sets' lit pixels are listed
 * once per session (`heldOutLit`); the training step has its own lit layer (lit-layer.ts).
 *
 * The weights are read input-major in blocks: a LitLayer's own, or else copied out of the
 * layer's storage (dense or sparse) before an evaluation, unless no step has changed them since.
 */
import type { Arena } from './arena';
import type { SplitAt } from './kernel-compute';
import type { KernelLayer, LayerShape } from './layer';
import { BLOCK, LitLayer, PIXELS } from './lit-layer';
import type { KernelPool } from './pool';

/**
 * Whether evaluation's first layer goes through the lit pixels, given their share and the layer's
 * storage: measured on one thread (CPU time, K = 3, 15,000 images), a lit pixel costs ~2.4× what
 * a dense tile pays for one input, so lit pays over dense storage below a share of 0.4 (MNIST's
 * 0.19: 0.53× the evaluation's time at K = 1). Over sparse storage it paid down to the density
 * where the two met (0.11 against MNIST's share: 0.62× at P_m 51%, 0.90× at 21%, 1.0× at 11%);
 * it is taken while the share is below the density, a margin for two threads on a shared
 * machine, where the windows were too noisy to place the meeting point.
 */
export function litPays(litShare: number, storage: { sparse: boolean; density: number }): boolean {
  return storage.sparse ? litShare < storage.density : litShare < 0.4;
}

/**
 * A held-out set's lit pixels, kept for every later evaluation (they never change): example e's
 * entries are lit[start[e] .. start[e] + count[e]) with their x − c in litVal, c in
 * background[e], and its label as i32 in labels[e] (what the loss reads). Room is laid out when
 * the session opens (`entries`, counted then); the lists are filled by the first evaluation,
 * chunk by chunk from litPixels' own output, so that one costs what it cost before they were
 * kept (a slider request opens a session for one evaluation) and every later one skips them.
 */
export interface HeldLit {
  lit: number;
  litVal: number;
  start: number;
  count: number;
  background: number;
  labels: number;
  /** Examples 0 .. filledTo are listed (evaluation goes through a set in order from 0). */
  filledTo: number;
  /** Entries listed so far. */
  entries: number;
}

/** Lit pixels (byte ≠ 0) of a split's images: a word at a time over the dark ones. */
export function litCount(images: Uint8Array): number {
  let n = 0;
  const aligned = images.byteOffset % 4 === 0;
  const words = aligned
    ? new Uint32Array(images.buffer, images.byteOffset, images.length >> 2)
    : null;
  for (let w = 0; words && w < words.length; w++) {
    const x = words[w]!;
    if (x)
      n += (x & 0xff ? 1 : 0) + (x & 0xff00 ? 1 : 0) + (x & 0xff0000 ? 1 : 0) + (x >>> 24 ? 1 : 0);
  }
  for (let i = words ? words.length << 2 : 0; i < images.length; i++) if (images[i]) n++;
  return n;
}

/** Room for `size` examples' lists holding `entries` lit pixels in all, to be filled later. */
export function heldOutLit(arena: Arena, size: number, entries: number): HeldLit {
  return {
    lit: arena.alloc(Math.max(1, entries) * 4),
    litVal: arena.alloc(Math.max(1, entries) * 4),
    start: arena.alloc(size * 4),
    count: arena.alloc(size * 4),
    background: arena.alloc(size * 4),
    labels: arena.alloc(size * 4),
    filledTo: 0,
    entries: 0,
  };
}

export class LitFirstLayer {
  private readonly wIn: number;
  private readonly sw: number;
  private readonly rowSum: number;
  /** A chunk's lists as litPixels writes them (784 slots an example), for a set not yet listed. */
  private readonly lit: number;
  private readonly litVal: number;
  private readonly litCount: number;
  private readonly background: number;
  private readonly blocks: number;
  /** The layer's weights input-major, [inn][outP], before they are cut into blocks. */
  private readonly rows: Float32Array;
  /** The trainer's weights version the input-major copy was made at (-1: none yet). */
  private laidOutAt = -1;

  constructor(
    private readonly arena: Arena,
    private readonly shape: LayerShape,
    private readonly k: number,
    private readonly bs: number,
  ) {
    if (shape.inn !== PIXELS) throw new RangeError(`lit pixels need ${PIXELS} inputs`);
    this.blocks = Math.ceil(shape.outP / BLOCK);
    this.sw = this.blocks * shape.inn * BLOCK * 4;
    this.rows = new Float32Array(shape.inn * shape.outP);
    this.wIn = arena.alloc(k * this.sw);
    this.rowSum = arena.alloc(k * shape.outP * 4);
    this.lit = arena.alloc(bs * PIXELS * 4);
    this.litVal = arena.alloc(bs * PIXELS * 4);
    this.litCount = arena.alloc(bs * 4);
    this.background = arena.alloc(bs * 4);
  }

  /**
   * Lays the layer's weights out in blocks, with their row sums, unless `version` has them or the
   * layer keeps them so itself (a LitLayer: its blocks are read where they are).
   */
  prepare(layer: KernelLayer, version: number): void {
    if (layer instanceof LitLayer || version === this.laidOutAt) return;
    const { inn, outP } = this.shape;
    const rows = this.rows;
    for (let v = 0; v < this.k; v++) {
      layer.writeInputMajor(v, rows);
      const w = this.arena.f32(this.wIn + v * this.sw, this.sw / 4);
      const sums = new Float64Array(outP);
      for (let i = 0; i < inn; i++) {
        for (let j = 0; j < outP; j++) {
          const x = rows[i * outP + j]!;
          w[(j >> 5) * inn * BLOCK + i * BLOCK + (j & 31)] = x;
          sums[j]! += x;
        }
      }
      this.arena.f32(this.rowSum + v * outP * 4, outP).set(sums);
    }
    this.laidOutAt = version;
  }

  /**
   * The first layer of held-out examples from .. from + n of `split` (at most a chunk, listed at
   * `idx`) into `hout`: from `held`'s lists where they are filled, else from litPixels' (then
   * copied into `held`). Returns where the chunk's labels are, as the loss reads them.
   */
  forward(
    pool: KernelPool,
    layer: KernelLayer,
    held: HeldLit,
    at: { split: SplitAt; lut: number; idx: number; from: number; n: number; labelsOut: number },
    hout: number,
    shout: number,
    relu: boolean,
  ): number {
    const { split, lut, idx, from, n } = at;
    if (n > this.bs) throw new RangeError(`${n} examples, more than a chunk of ${this.bs}`);
    const listed = from + n <= held.filledTo;
    if (!listed) {
      const { lit, litVal, litCount, background } = this;
      pool.run(
        'litPixels',
        [
          split.images,
          split.labels,
          idx,
          n,
          lut,
          split.scale,
          lit,
          litVal,
          litCount,
          background,
          at.labelsOut,
        ],
        this.bs,
      );
    }
    const weights =
      layer instanceof LitLayer
        ? layer.blocksAt
        : { wIn: this.wIn, sw: this.sw, rowSum: this.rowSum };
    pool.run(
      'litForward',
      [
        weights.wIn,
        weights.sw,
        weights.rowSum,
        layer.b,
        layer.sb,
        listed ? held.lit : this.lit,
        listed ? held.litVal : this.litVal,
        listed ? held.start + from * 4 : 0,
        listed ? held.count + from * 4 : this.litCount,
        listed ? held.background + from * 4 : this.background,
        0,
        hout,
        0,
        shout,
        this.shape.outP,
        n,
        this.bs,
        relu ? 1 : 0,
      ],
      this.k * this.blocks,
    );
    if (listed) return held.labels + from * 4;
    if (from === held.filledTo) this.keep(held, from, n, at.labelsOut);
    return at.labelsOut;
  }

  /** Copies the chunk's lists, packed, into `held` after its first `from` examples. */
  private keep(held: HeldLit, from: number, n: number, labelsOut: number): void {
    const a = this.arena;
    const count = new Int32Array(a.memory.buffer, this.litCount, n);
    const lit = new Int32Array(a.memory.buffer, this.lit, n * PIXELS);
    const litVal = a.f32(this.litVal, n * PIXELS);
    const total = count.reduce((s, c) => s + c, 0);
    const start = new Int32Array(a.memory.buffer, held.start + from * 4, n);
    const heldLit = new Int32Array(a.memory.buffer, held.lit, held.entries + total);
    const heldVal = a.f32(held.litVal, held.entries + total);
    let e = held.entries;
    for (let b = 0; b < n; b++) {
      const c = count[b]!;
      start[b] = e;
      heldLit.set(lit.subarray(b * PIXELS, b * PIXELS + c), e);
      heldVal.set(litVal.subarray(b * PIXELS, b * PIXELS + c), e);
      e += c;
    }
    new Int32Array(a.memory.buffer, held.count + from * 4, n).set(count);
    a.f32(held.background + from * 4, n).set(a.f32(this.background, n));
    new Int32Array(a.memory.buffer, held.labels + from * 4, n).set(
      new Int32Array(a.memory.buffer, labelsOut, n),
    );
    held.entries = e;
    held.filledTo = from + n;
  }
}
