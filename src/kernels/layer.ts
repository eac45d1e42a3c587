/**
 * One fully connected layer of K variants in the kernels' memory, stored one of two ways:
 * dense (Wᵀ[outP][innP] with a 0/1 mask, assembly/lenet.ts's tiles) or sparse (only the
 * surviving weights, row by row, with a transposed index), chosen per round by the density of
 * its masks. Either way the layer knows its own kernel calls; the trainer only sequences them.
 */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import type { LitLists } from './lit-layer';
import type { KernelPool } from './pool';

export interface LayerShape {
  inn: number;
  out: number;
  innP: number;
  outP: number;
}

/** Where a layer reads and writes a batch's activations (byte pointers and per-variant strides). */
export interface LayerIo {
  hin: number;
  /** The input example-major (dense layers' weight gradient); 0 when not kept. */
  hinT: number;
  shin: number;
  hout: number;
  houtT: number;
  shout: number;
  bs: number;
  /** The batch's input as lit pixels, where the first layer reads it so (lit-layer.ts). */
  lit?: LitLists;
  /** Each variant has its own set of `lit` lists (own batches), else one set for all. */
  litOwn?: boolean;
}

/** Adam's α_t, ε̂_t, β1, 1 − β1, β2, 1 − β2 for this step. */
export type AdamArgs = readonly number[];

export abstract class KernelLayer {
  /** Biases and their Adam state: [K][outP], the same in both storages. */
  readonly b: number;
  readonly mb: number;
  readonly vb: number;
  readonly sb: number;

  constructor(
    protected readonly arena: Arena,
    readonly shape: LayerShape,
    readonly k: number,
  ) {
    this.sb = shape.outP * 4;
    this.b = arena.alloc(k * this.sb);
    this.mb = arena.alloc(k * this.sb);
    this.vb = arena.alloc(k * this.sb);
  }

  abstract readonly sparse: boolean;

  load(starts: readonly VariantStart[], l: number): void {
    starts.forEach((start, v) => {
      const b = this.arena.f32(this.b + v * this.sb, this.shape.outP);
      b.fill(0);
      b.set(start.params.biases[l]!);
    });
    this.arena.f32(this.mb, this.k * this.shape.outP).fill(0);
    this.arena.f32(this.vb, this.k * this.shape.outP).fill(0);
    this.loadWeights(starts, l);
  }

  protected abstract loadWeights(starts: readonly VariantStart[], l: number): void;
  abstract forward(pool: KernelPool, io: LayerIo, relu: boolean): void;
  /** dh at this layer's input (the gradient at the previous layer's pre-activations). */
  abstract backwardInput(pool: KernelPool, dz: number, sdz: number, io: LayerIo, dh: number): void;
  /** The weight gradient and Adam on the weights, then on the biases. */
  abstract update(
    pool: KernelPool,
    dz: number,
    sdz: number,
    io: LayerIo,
    n: number,
    adam: AdamArgs,
  ): void;
  /** Variant v's weights as the engine stores them, [in][out] row-major. */
  abstract readWeights(v: number): Float32Array;
  /**
   * Variant v's weights input-major into `dst`, [inn][outP] (padding and pruned weights 0), as
   * evaluation's first layer reads them (lit-first-layer.ts).
   */
  abstract writeInputMajor(v: number, dst: Float32Array): void;

  protected updateBiases(
    pool: KernelPool,
    dz: number,
    sdz: number,
    bs: number,
    adam: AdamArgs,
  ): void {
    pool.run(
      'biasAdam',
      [dz, sdz, this.b, this.mb, this.vb, this.sb, this.shape.outP, bs, ...adam],
      this.k,
    );
  }

  readBiases(v: number): Float32Array {
    return this.arena.f32(this.b + v * this.sb, this.shape.out).slice();
  }
}

/** Checks a variant's weights and mask against the layer, and hands back their arrays. */
export function variantLayer(
  start: VariantStart,
  l: number,
  s: LayerShape,
  v: number,
): { weights: Float32Array; bits: Uint8Array } {
  const weights = start.params.weights[l]!;
  const bits = start.masks[l]!.bits;
  if (weights.length !== s.inn * s.out || bits.length !== weights.length)
    throw new RangeError(
      `variant ${v}, layer ${l}: ${weights.length} weights, expected ${s.inn * s.out}`,
    );
  return { weights, bits };
}
