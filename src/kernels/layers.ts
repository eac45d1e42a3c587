/**
 * One fully connected layer of K variants in the kernels' memory, stored one of two ways:
 * dense (Wᵀ[outP][innP] with a 0/1 mask, assembly/lenet.ts's tiles) or sparse (only the
 * surviving weights, row by row, with a transposed index), chosen per round by the density of
 * its masks. Either way the layer knows its own kernel calls; the trainer only sequences them.
 */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import type { KernelPool } from './pool';

/** Below this density a layer trains sparse: measured faster from here down (bench/crossover.ts: dense 10.7 ms a K = 3 step at any density, sparse 10.0 ms at 0.5, 12.2 at 0.64, on one thread here). */
export const SPARSE_BELOW = 0.55;

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
function variantLayer(
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

class DenseLayer extends KernelLayer {
  readonly sparse = false;
  private readonly sw: number;
  private readonly w: number;
  private readonly m: number;
  private readonly v: number;
  private readonly mask: number;

  constructor(arena: Arena, shape: LayerShape, k: number) {
    super(arena, shape, k);
    this.sw = shape.innP * shape.outP * 4;
    [this.w, this.m, this.v, this.mask] = [0, 0, 0, 0].map(() => arena.alloc(k * this.sw)) as [
      number,
      number,
      number,
      number,
    ];
  }

  protected loadWeights(starts: readonly VariantStart[], l: number): void {
    const { inn, out, innP, outP } = this.shape;
    this.arena.f32(this.m, this.k * innP * outP).fill(0);
    this.arena.f32(this.v, this.k * innP * outP).fill(0);
    starts.forEach((start, v) => {
      const { weights, bits } = variantLayer(start, l, this.shape, v);
      const w = this.arena.f32(this.w + v * this.sw, innP * outP);
      const mask = this.arena.f32(this.mask + v * this.sw, innP * outP);
      w.fill(0);
      mask.fill(0);
      // The engine's [in][out] into Wᵀ[outP][innP]; padding stays 0 and masked out.
      for (let i = 0; i < inn; i++) {
        for (let j = 0; j < out; j++) {
          w[j * innP + i] = weights[i * out + j]!;
          mask[j * innP + i] = bits[i * out + j]!;
        }
      }
    });
  }

  forward(pool: KernelPool, io: LayerIo, relu: boolean): void {
    const { innP, outP } = this.shape;
    pool.run(
      'forward',
      [
        this.w,
        this.sw,
        this.b,
        this.sb,
        io.hin,
        io.shin,
        io.hout,
        io.houtT,
        io.shout,
        innP,
        outP,
        io.bs,
        relu ? 1 : 0,
      ],
      (this.k * outP) / 2,
    );
  }

  backwardInput(pool: KernelPool, dz: number, sdz: number, io: LayerIo, dh: number): void {
    const { innP, outP } = this.shape;
    pool.run(
      'backwardInput',
      [this.w, this.sw, dz, sdz, io.hin, dh, io.shin, innP, outP, io.bs],
      (this.k * innP) / 2,
    );
  }

  update(pool: KernelPool, dz: number, sdz: number, io: LayerIo, n: number, adam: AdamArgs): void {
    const { innP, outP } = this.shape;
    if (!io.hinT) throw new Error('a dense layer needs its input example-major');
    pool.run(
      'weightAdam',
      [
        dz,
        sdz,
        io.hinT,
        io.shin,
        this.w,
        this.m,
        this.v,
        this.mask,
        this.sw,
        innP,
        outP,
        n,
        io.bs,
        ...adam,
      ],
      (this.k * outP) / 2,
    );
    this.updateBiases(pool, dz, sdz, io.bs, adam);
  }

  readWeights(v: number): Float32Array {
    const { inn, out, innP, outP } = this.shape;
    const wT = this.arena.f32(this.w + v * this.sw, innP * outP);
    const w = new Float32Array(inn * out);
    for (let i = 0; i < inn; i++) for (let j = 0; j < out; j++) w[i * out + j] = wT[j * innP + i]!;
    return w;
  }
}

class SparseLayer extends KernelLayer {
  readonly sparse = true;
  /** Entries per variant (the same count for every variant of a round: controls keep counts). */
  private readonly nnz: number;
  private readonly si: number;
  private readonly sv: number;
  private readonly rowPtr: number;
  private readonly col: number;
  private readonly tRowPtr: number;
  private readonly tCol: number;
  private readonly tVal: number;
  private readonly w: number;
  private readonly m: number;
  private readonly v: number;

  constructor(arena: Arena, shape: LayerShape, k: number, nnz: number) {
    super(arena, shape, k);
    this.nnz = nnz;
    this.si = this.sv = Math.max(1, nnz) * 4;
    this.rowPtr = arena.alloc(k * (shape.outP + 1) * 4);
    this.tRowPtr = arena.alloc(k * (shape.innP + 1) * 4);
    [this.col, this.tCol, this.tVal, this.w, this.m, this.v] = [0, 0, 0, 0, 0, 0].map(() =>
      arena.alloc(k * this.si),
    ) as [number, number, number, number, number, number];
  }

  protected loadWeights(starts: readonly VariantStart[], l: number): void {
    const { inn, out, innP, outP } = this.shape;
    const a = this.arena;
    a.f32(this.m, this.k * Math.max(1, this.nnz)).fill(0);
    a.f32(this.v, this.k * Math.max(1, this.nnz)).fill(0);
    starts.forEach((start, v) => {
      const { weights, bits } = variantLayer(start, l, this.shape, v);
      const rowPtr = new Int32Array(a.memory.buffer, this.rowPtr + v * (outP + 1) * 4, outP + 1);
      const col = new Int32Array(a.memory.buffer, this.col + v * this.si, this.nnz);
      const w = a.f32(this.w + v * this.sv, this.nnz);
      const perInput = new Int32Array(innP + 1);
      let e = 0;
      for (let j = 0; j < outP; j++) {
        rowPtr[j] = e;
        if (j < out) {
          for (let i = 0; i < inn; i++) {
            if (!bits[i * out + j]) continue;
            if (e === this.nnz)
              throw new RangeError(
                `variant ${v}, layer ${l}: more survivors than variant 0's ${this.nnz}`,
              );
            col[e] = i;
            w[e] = weights[i * out + j]!;
            perInput[i + 1]!++;
            e++;
          }
        }
      }
      rowPtr[outP] = e;
      if (e !== this.nnz)
        throw new RangeError(`variant ${v}, layer ${l}: ${e} survivors, variant 0 has ${this.nnz}`);
      // The transposed index: for each input, its rows in ascending order (entries run by row).
      const tRowPtr = new Int32Array(a.memory.buffer, this.tRowPtr + v * (innP + 1) * 4, innP + 1);
      for (let i = 0; i < innP; i++) perInput[i + 1]! += perInput[i]!;
      tRowPtr.set(perInput);
      const tCol = new Int32Array(a.memory.buffer, this.tCol + v * this.si, this.nnz);
      const tVal = new Int32Array(a.memory.buffer, this.tVal + v * this.si, this.nnz);
      const fill = perInput.slice();
      for (let j = 0; j < outP; j++) {
        for (let x = rowPtr[j]!; x < rowPtr[j + 1]!; x++) {
          const at = fill[col[x]!]!++;
          tCol[at] = j;
          tVal[at] = x;
        }
      }
    });
  }

  forward(pool: KernelPool, io: LayerIo, relu: boolean): void {
    pool.run(
      'sparseForward',
      [
        this.rowPtr,
        this.col,
        this.si,
        this.w,
        this.sv,
        this.b,
        this.sb,
        io.hin,
        io.shin,
        io.hout,
        io.houtT,
        io.shout,
        this.shape.outP,
        io.bs,
        relu ? 1 : 0,
      ],
      this.k * this.shape.outP,
    );
  }

  backwardInput(pool: KernelPool, dz: number, sdz: number, io: LayerIo, dh: number): void {
    pool.run(
      'sparseBackwardInput',
      [
        this.tRowPtr,
        this.tCol,
        this.tVal,
        this.si,
        this.w,
        this.sv,
        dz,
        sdz,
        io.hin,
        dh,
        io.shin,
        this.shape.innP,
        io.bs,
      ],
      this.k * this.shape.innP,
    );
  }

  update(pool: KernelPool, dz: number, sdz: number, io: LayerIo, n: number, adam: AdamArgs): void {
    pool.run(
      'sparseWeightAdam',
      [
        this.rowPtr,
        this.col,
        this.si,
        this.w,
        this.m,
        this.v,
        this.sv,
        dz,
        sdz,
        io.hin,
        io.shin,
        this.shape.outP,
        n,
        io.bs,
        ...adam,
      ],
      this.k * this.shape.outP,
    );
    this.updateBiases(pool, dz, sdz, io.bs, adam);
  }

  readWeights(v: number): Float32Array {
    const { inn, out, outP } = this.shape;
    const a = this.arena;
    const rowPtr = new Int32Array(a.memory.buffer, this.rowPtr + v * (outP + 1) * 4, outP + 1);
    const col = new Int32Array(a.memory.buffer, this.col + v * this.si, this.nnz);
    const w = a.f32(this.w + v * this.sv, this.nnz);
    const dense = new Float32Array(inn * out);
    for (let j = 0; j < out; j++)
      for (let e = rowPtr[j]!; e < rowPtr[j + 1]!; e++) dense[col[e]! * out + j] = w[e]!;
    return dense;
  }
}

/** The layer storage for a round: sparse when its survivors are few enough (or when forced). */
export function layerFor(
  arena: Arena,
  shape: LayerShape,
  starts: readonly VariantStart[],
  l: number,
  mode: 'auto' | 'dense' | 'sparse' = 'auto',
): KernelLayer {
  const count = starts[0]!.masks[l]!.count;
  const density = count / (shape.inn * shape.out);
  const sparse = mode === 'sparse' || (mode === 'auto' && density < SPARSE_BELOW);
  return sparse
    ? new SparseLayer(arena, shape, starts.length, count)
    : new DenseLayer(arena, shape, starts.length);
}
