/**
 * Evaluation's first layer through the input's own sparsity (assembly/lenet.ts, litPixels and
 * litForward): an MNIST digit lights ~19% of its pixels, the rest is one background value whose
 * share of every sum is a constant of the weights. Evaluation is half of every round at the
 * paper's protocol (15,000 held-out images every 100 steps, issue 17), and the first layer is
 * ~88% of its arithmetic; here it costs what the lit pixels cost. The training step keeps the
 * dense tiles (its weight gradient needs every input anyway).
 *
 * The weights are read input-major ([inn][outP]): copied out of the layer's own storage (dense or
 * sparse) before an evaluation, unless no step has changed them since the last one.
 */
import type { Arena } from './arena';
import type { SplitAt } from './kernel-compute';
import type { KernelLayer, LayerShape } from './layer';
import type { KernelPool } from './pool';

/** Pixels of one image: the lists' slot per example (the kernels take LeNet's 784 inputs). */
const PIXELS = 784;
/** Outputs per unit of litForward: eight v128 accumulators. */
const BLOCK = 32;

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

export class LitFirstLayer {
  private readonly wIn: number;
  private readonly sw: number;
  private readonly rowSum: number;
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

  /** Lays the layer's weights out in blocks, with their row sums, unless `version` has them. */
  prepare(layer: KernelLayer, version: number): void {
    if (version === this.laidOutAt) return;
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

  /** The first layer of `n` held-out examples listed at `idx` of `split` into `hout`. */
  forward(
    pool: KernelPool,
    layer: KernelLayer,
    split: SplitAt,
    lut: number,
    idx: number,
    n: number,
    labelsOut: number,
    hout: number,
    shout: number,
    relu: boolean,
  ): void {
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
        labelsOut,
      ],
      this.bs,
    );
    pool.run(
      'litForward',
      [
        this.wIn,
        this.sw,
        this.rowSum,
        layer.b,
        layer.sb,
        lit,
        litVal,
        litCount,
        background,
        hout,
        shout,
        this.shape.outP,
        this.bs,
        relu ? 1 : 0,
      ],
      this.k * this.blocks,
    );
  }
}
