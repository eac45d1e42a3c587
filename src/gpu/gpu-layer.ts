/// <reference types="@webgpu/types" />
/**
 * One layer of K variants on the GPU: weights with the bias as an extra last row,
 * `wb[v][in + 1][out]` (wgsl.ts), its 0/1 mask (the bias row all 1) and Adam's two moments, all
 * the same shape so every weight kernel indexes them alike.
 */
import type { VariantStart } from '../engine/init';
import { buffer } from './gpu-kit';

export class GpuLayer {
  readonly wb: GPUBuffer;
  readonly mask: GPUBuffer;
  readonly m: GPUBuffer;
  readonly v: GPUBuffer;
  /** Floats of one variant: (in + 1) · out. */
  readonly perVariant: number;

  constructor(
    private readonly device: GPUDevice,
    readonly inn: number,
    readonly out: number,
    readonly k: number,
  ) {
    this.perVariant = (inn + 1) * out;
    const bytes = k * this.perVariant * 4;
    this.wb = buffer(device, bytes, undefined, 'lab weights');
    this.mask = buffer(device, bytes, undefined, 'lab mask');
    this.m = buffer(device, bytes, undefined, 'lab adam m');
    this.v = buffer(device, bytes, undefined, 'lab adam v');
  }

  /**
   * Writes layer `l` of every variant's start: survivors' values (a pruned weight as exactly 0,
   * whatever the start held there), the mask, and zero moments (Adam starts afresh each round).
   */
  load(starts: readonly VariantStart[], l: number): void {
    const { inn, out, perVariant } = this;
    const wb = new Float32Array(this.k * perVariant);
    const mask = new Float32Array(this.k * perVariant);
    starts.forEach((s, v) => {
      const w = s.params.weights[l]!;
      const bits = s.masks[l]!.bits;
      const b = s.params.biases[l]!;
      if (w.length !== inn * out || bits.length !== inn * out || b.length !== out)
        throw new RangeError(`variant ${v}'s layer ${l} is not ${inn} × ${out}`);
      const at = v * perVariant;
      for (let i = 0; i < w.length; i++) {
        mask[at + i] = bits[i]!;
        wb[at + i] = bits[i] ? w[i]! : 0;
      }
      wb.set(b, at + inn * out);
      mask.fill(1, at + inn * out, at + perVariant);
    });
    const q = this.device.queue;
    q.writeBuffer(this.wb, 0, wb);
    q.writeBuffer(this.mask, 0, mask);
    const encoder = this.device.createCommandEncoder();
    encoder.clearBuffer(this.m);
    encoder.clearBuffer(this.v);
    q.submit([encoder.finish()]);
  }

  /** Where variant v's weights and bias lie, for readback. */
  slice(v: number): { from: GPUBuffer; offset: number; bytes: number } {
    return { from: this.wb, offset: v * this.perVariant * 4, bytes: this.perVariant * 4 };
  }

  dispose(): void {
    for (const b of [this.wb, this.mask, this.m, this.v]) b.destroy();
  }
}
