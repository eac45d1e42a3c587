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
import type { Split } from '../engine/data';
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
 * A held-out set's lit pixels, laid out once for every evaluation (they never change): example
 * e's entries are lit[start[e] .. start[e] + count[e]) with their x − c in litVal, c in
 * background[e], and its label as i32 in labels[e] (what the loss reads).
 */
export interface HeldLit {
  lit: number;
  litVal: number;
  start: number;
  count: number;
  background: number;
  labels: number;
}

/**
 * Lays out `split`'s lit pixels as litPixels would list them, packed: the same indices and the
 * same f32 values (table[byte] · scale − table[0] · scale, each product and the difference
 * rounded to f32 as the kernel rounds them), `table` being the session's byte → input table.
 */
export function heldOutLit(arena: Arena, split: Split, table: Float32Array): HeldLit {
  const { images, size, scale } = split;
  let entries = 0;
  for (let i = 0; i < size * PIXELS; i++) if (images[i]) entries++;
  const f32 = Math.fround;
  const at = {
    lit: arena.alloc(Math.max(1, entries) * 4),
    litVal: arena.alloc(Math.max(1, entries) * 4),
    start: arena.alloc(size * 4),
    count: arena.alloc(size * 4),
    background: arena.alloc(size * 4),
    labels: arena.alloc(size * 4),
  };
  const lit = new Int32Array(arena.memory.buffer, at.lit, entries);
  const litVal = arena.f32(at.litVal, entries);
  const start = new Int32Array(arena.memory.buffer, at.start, size);
  const count = new Int32Array(arena.memory.buffer, at.count, size);
  const background = arena.f32(at.background, size);
  new Int32Array(arena.memory.buffer, at.labels, size).set(split.labels.subarray(0, size));
  let e = 0;
  for (let i = 0; i < size; i++) {
    const k = scale ? scale[i]! : 1;
    const c = scale ? f32(table[0]! * k) : table[0]!;
    start[i] = e;
    background[i] = c;
    for (let p = 0, from = i * PIXELS; p < PIXELS; p++) {
      const byte = images[from + p]!;
      if (byte === 0) continue;
      lit[e] = p;
      litVal[e++] = f32((scale ? f32(table[byte]! * k) : table[byte]!) - c);
    }
    count[i] = e - start[i]!;
  }
  return at;
}

export class LitFirstLayer {
  private readonly wIn: number;
  private readonly sw: number;
  private readonly rowSum: number;
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

  /** The first layer of held-out examples from .. from + n (at most a chunk) into `hout`. */
  forward(
    pool: KernelPool,
    layer: KernelLayer,
    held: HeldLit,
    from: number,
    n: number,
    hout: number,
    shout: number,
    relu: boolean,
  ): void {
    if (n > this.bs) throw new RangeError(`${n} examples, more than a chunk of ${this.bs}`);
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
        held.lit,
        held.litVal,
        held.start + from * 4,
        held.count + from * 4,
        held.background + from * 4,
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
  }
}
