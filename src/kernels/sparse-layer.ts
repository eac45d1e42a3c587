/** A layer stored sparse: only the surviving weights, row by row, with a transposed index. */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import type { KernelPool } from './pool';
import { type AdamArgs, KernelLayer, type LayerIo, type LayerShape, variantLayer } from './layer';

export class SparseLayer extends KernelLayer {
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

  writeInputMajor(v: number, dst: Float32Array): void {
    const { outP } = this.shape;
    const a = this.arena;
    const rowPtr = new Int32Array(a.memory.buffer, this.rowPtr + v * (outP + 1) * 4, outP + 1);
    const col = new Int32Array(a.memory.buffer, this.col + v * this.si, this.nnz);
    const w = a.f32(this.w + v * this.sv, this.nnz);
    dst.fill(0);
    for (let j = 0; j < outP; j++)
      for (let e = rowPtr[j]!; e < rowPtr[j + 1]!; e++) dst[col[e]! * outP + j] = w[e]!;
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
