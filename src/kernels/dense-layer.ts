/** A layer stored dense: Wᵀ[outP][innP] with a 0/1 mask, in assembly/lenet.ts's register tiles. */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import type { KernelPool } from './pool';
import { type AdamArgs, KernelLayer, type LayerIo, type LayerShape, variantLayer } from './layer';

export class DenseLayer extends KernelLayer {
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

  writeInputMajor(v: number, dst: Float32Array): void {
    const { inn, innP, outP } = this.shape;
    const wT = this.arena.f32(this.w + v * this.sw, innP * outP);
    for (let j = 0; j < outP; j++)
      for (let i = 0, at = j * innP; i < inn; i++) dst[i * outP + j] = wT[at + i]!;
  }

  readWeights(v: number): Float32Array {
    const { inn, out, innP, outP } = this.shape;
    const wT = this.arena.f32(this.w + v * this.sw, innP * outP);
    const w = new Float32Array(inn * out);
    for (let i = 0; i < inn; i++) for (let j = 0; j < out; j++) w[i * out + j] = wT[j * innP + i]!;
    return w;
  }
}
