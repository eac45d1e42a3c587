/**
 * The first layer stored for the lit pixels: input-major in blocks of 32 outputs,
 * w[block][p][32] with Adam's m and v and the 0/1 mask beside it, and each output's Σ_p w[j][p]
 * (rowSum), kept by every update. Forward (litForward) and the weight gradient with Adam
 * (litWeightAdam) then cost what the batch's lit pixels cost, ~19% of an MNIST digit's, where the
 * dense tiles pay for all 784 inputs (assembly/lenet.ts explains the folding of the background).
 * Evaluation reads the same blocks (lit-first-layer.ts), so nothing is copied between the two.
 *
 * Only the fused multiply-add build takes it (kernel-trainer.ts `litTrains`, then layers.ts by
 * density): the plain build keeps the tiles, whose sums gave docs/results.md its tables, so
 * `--arithmetic plain` still reproduces them.
 */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import type { KernelPool } from './pool';
import { type AdamArgs, KernelLayer, type LayerIo, type LayerShape, variantLayer } from './layer';

/** Pixels of one image: a list's slots per example (the kernels take LeNet's 784 inputs). */
export const PIXELS = 784;
/** Outputs per block: litForward's eight v128 accumulators. */
export const BLOCK = 32;

/**
 * A batch's lit pixels, one set per input (shared, or one per variant for own batches), `sl`
 * bytes apart: litPixels' per-example lists and litColumns' per-pixel regrouping (`sc` apart).
 */
export interface LitLists {
  lit: number;
  litVal: number;
  litCount: number;
  background: number;
  sl: number;
  colPtr: number;
  colB: number;
  colVal: number;
  sc: number;
}

/** Lays out `sets` sets of lists for batches of `bs` examples. */
export function allocLitLists(arena: Arena, bs: number, sets: number): LitLists {
  const slots = bs * PIXELS * 4;
  const sl = 2 * slots + 2 * bs * 4;
  const lists = arena.alloc(sets * sl);
  const sc = (PIXELS + 1) * 4 + 2 * slots;
  const cols = arena.alloc(sets * sc);
  return {
    lit: lists,
    litVal: lists + slots,
    litCount: lists + 2 * slots,
    background: lists + 2 * slots + bs * 4,
    sl,
    colPtr: cols,
    colB: cols + (PIXELS + 1) * 4,
    colVal: cols + (PIXELS + 1) * 4 + slots,
    sc,
  };
}

/** Where a layer's input-major blocks and row sums are (litForward's weights). */
export interface InputMajorBlocks {
  wIn: number;
  sw: number;
  rowSum: number;
}

export class LitLayer extends KernelLayer {
  readonly sparse = false;
  private readonly blocks: number;
  private readonly sw: number;
  private readonly w: number;
  private readonly m: number;
  private readonly v: number;
  private readonly mask: number;
  private readonly rowSum: number;
  /** Each unit's block of dz, example-major: 32 × bs floats a unit. */
  private readonly scratch: number;

  constructor(arena: Arena, shape: LayerShape, k: number, bs: number) {
    super(arena, shape, k);
    if (shape.inn !== PIXELS) throw new RangeError(`lit pixels need ${PIXELS} inputs`);
    this.blocks = Math.ceil(shape.outP / BLOCK);
    this.sw = this.blocks * PIXELS * BLOCK * 4;
    [this.w, this.m, this.v, this.mask] = [0, 0, 0, 0].map(() => arena.alloc(k * this.sw)) as [
      number,
      number,
      number,
      number,
    ];
    this.rowSum = arena.alloc(k * shape.outP * 4);
    this.scratch = arena.alloc(k * this.blocks * bs * BLOCK * 4);
  }

  get blocksAt(): InputMajorBlocks {
    return { wIn: this.w, sw: this.sw, rowSum: this.rowSum };
  }

  private at(p: number, j: number): number {
    return (j >> 5) * PIXELS * BLOCK + p * BLOCK + (j & 31);
  }

  protected loadWeights(starts: readonly VariantStart[], l: number): void {
    const { inn, out, outP } = this.shape;
    const n = this.sw / 4;
    this.arena.f32(this.m, this.k * n).fill(0);
    this.arena.f32(this.v, this.k * n).fill(0);
    starts.forEach((start, v) => {
      const { weights, bits } = variantLayer(start, l, this.shape, v);
      const w = this.arena.f32(this.w + v * this.sw, n);
      const mask = this.arena.f32(this.mask + v * this.sw, n);
      w.fill(0);
      mask.fill(0);
      for (let i = 0; i < inn; i++) {
        for (let j = 0; j < out; j++) {
          w[this.at(i, j)] = weights[i * out + j]!;
          mask[this.at(i, j)] = bits[i * out + j]!;
        }
      }
      // The row sums as litWeightAdam keeps them: f32, ascending p.
      const sums = this.arena.f32(this.rowSum + v * outP * 4, outP);
      for (let j = 0; j < outP; j++) {
        let s = 0;
        for (let p = 0; p < inn; p++) s = Math.fround(s + w[this.at(p, j)]!);
        sums[j] = s;
      }
    });
  }

  private lists(io: LayerIo): LitLists {
    if (!io.lit) throw new Error('a lit layer reads its input as lit pixels');
    return io.lit;
  }

  forward(pool: KernelPool, io: LayerIo, relu: boolean): void {
    const s = this.lists(io);
    pool.run(
      'litForward',
      [
        this.w,
        this.sw,
        this.rowSum,
        this.b,
        this.sb,
        s.lit,
        s.litVal,
        0,
        s.litCount,
        s.background,
        io.litOwn ? s.sl : 0,
        io.hout,
        io.houtT,
        io.shout,
        this.shape.outP,
        io.bs,
        io.bs,
        relu ? 1 : 0,
      ],
      this.k * this.blocks,
    );
  }

  backwardInput(): void {
    throw new Error('the first layer has no input gradient');
  }

  update(pool: KernelPool, dz: number, sdz: number, io: LayerIo, n: number, adam: AdamArgs): void {
    const s = this.lists(io);
    pool.run(
      'litWeightAdam',
      [
        dz,
        sdz,
        s.colPtr,
        s.colB,
        s.colVal,
        io.litOwn ? s.sc : 0,
        s.background,
        io.litOwn ? s.sl : 0,
        this.w,
        this.m,
        this.v,
        this.mask,
        this.sw,
        this.rowSum,
        this.scratch,
        this.shape.outP,
        n,
        io.bs,
        ...adam,
      ],
      this.k * this.blocks,
    );
    this.updateBiases(pool, dz, sdz, io.bs, adam);
  }

  writeInputMajor(v: number, dst: Float32Array): void {
    const { inn, outP } = this.shape;
    const w = this.arena.f32(this.w + v * this.sw, this.sw / 4);
    for (let i = 0; i < inn; i++)
      for (let j = 0; j < outP; j++) dst[i * outP + j] = w[this.at(i, j)]!;
  }

  readWeights(v: number): Float32Array {
    const { inn, out } = this.shape;
    const w = this.arena.f32(this.w + v * this.sw, this.sw / 4);
    const dst = new Float32Array(inn * out);
    for (let i = 0; i < inn; i++)
      for (let j = 0; j < out; j++) dst[i * out + j] = w[this.at(i, j)]!;
    return dst;
  }
}
