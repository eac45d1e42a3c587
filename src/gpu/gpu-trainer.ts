/// <reference types="@webgpu/types" />
/**
 * One round's K variants on the GPU: every buffer resident (weights with Adam's moments and
 * masks, the batch's activations and gradients, the loss sums), a step recorded as one compute
 * pass of 3·L + 1 dispatches (gather, L forwards, the head, L − 1 input gradients, L updates:
 * 10 for LeNet-300-100), whatever K. Nothing is read back per step: the training loss
 * accumulates on the GPU and comes back when the engine asks for it, in one map, as do
 * evaluations.
 */
import type { Batch, Evaluation, HeldOut, Trainer } from '../engine/compute';
import { sharedBatch } from '../engine/compute';
import type { Params, VariantStart } from '../engine/init';
import type { GpuSession } from './gpu-compute';
import { type Dispatch, readBack, record, write } from './gpu-kit';
import {
  type Activations,
  type RoundMemory,
  type RoundPasses,
  roundMemory,
  roundPasses,
} from './gpu-passes';

const BETA1 = 0.9;
const BETA2 = 0.999;
/** PyTorch's and open_lth's Adam ε, as on the other paths. */
const EPSILON = 1e-8;
/** Steps between waits for the queue: bounds how far the CPU records ahead of the GPU. */
const SYNC_EVERY = 8;

export class GpuTrainer implements Trainer {
  private readonly device: GPUDevice;
  private readonly mem: RoundMemory;
  private readonly passes: RoundPasses;
  private t = 0;
  private steps = 0;
  private loaded = false;
  private disposed = false;
  private pending: Promise<unknown> | null = null;
  /** Dispatches recorded so far (counted as recorded; the bench divides by steps). */
  dispatches = 0;

  constructor(
    private readonly session: GpuSession,
    readonly k: number,
    private readonly ownBatches: boolean,
    private readonly onDispose: () => void,
  ) {
    this.device = session.device;
    this.mem = roundMemory(session, k, ownBatches);
    this.passes = roundPasses(session, this.mem, k, ownBatches);
  }

  /** Dispatches in one training step (counted from what a step records). */
  get dispatchesPerStep(): number {
    return this.passes.step.length;
  }

  load(starts: readonly VariantStart[]): void {
    this.assertLive();
    if (starts.length !== this.k)
      throw new RangeError(`expected ${this.k} variants, got ${starts.length}`);
    this.mem.layers.forEach((layer, l) => layer.load(starts, l));
    const encoder = this.device.createCommandEncoder();
    encoder.clearBuffer(this.mem.trainAcc);
    this.device.queue.submit([encoder.finish()]);
    this.t = 0;
    this.steps = 0;
    this.loaded = true;
  }

  /** Writes a step's example indices where gather reads them; returns how many each variant has. */
  private placeBatch(batch: Batch): number {
    const max = this.session.batchSize;
    if (!this.ownBatches) {
      const indices = sharedBatch(batch);
      if (indices.length > max)
        throw new RangeError(`a batch of ${indices.length}, more than the ${max} laid out`);
      write(this.device, this.mem.idx, 0, indices);
      return indices.length;
    }
    if (batch instanceof Uint32Array || batch.length !== this.k)
      throw new RangeError(
        `a trainer of own batches takes one batch for each of its ${this.k} variants`,
      );
    const n = batch[0]!.length;
    const all = new Uint32Array(this.k * max);
    batch.forEach((b, v) => {
      if (b.length !== n || n > max)
        throw new RangeError(
          `variant ${v}'s batch of ${b.length}: every batch must hold the same ${n} ≤ ${max} examples`,
        );
      all.set(b, v * max);
    });
    this.device.queue.writeBuffer(this.mem.idx, 0, all);
    return n;
  }

  private writeStep(a: Activations, n: number, from: number, alpha = 0, epsHat = 0): void {
    const words = new ArrayBuffer(32);
    new Uint32Array(words, 0, 2).set([n, from]);
    new Float32Array(words, 8, 3).set([alpha, epsHat, 1 / n]);
    this.device.queue.writeBuffer(a.step, 0, words);
  }

  private submit(dispatches: readonly Dispatch[]): void {
    const encoder = this.device.createCommandEncoder();
    this.dispatches += record(encoder, dispatches);
    this.device.queue.submit([encoder.finish()]);
  }

  step(examples: Batch, learningRate: number): void | Promise<void> {
    this.assertLoaded();
    const n = this.placeBatch(examples);
    this.t += 1;
    const alpha = (learningRate * Math.sqrt(1 - BETA2 ** this.t)) / (1 - BETA1 ** this.t);
    const epsHat = EPSILON * Math.sqrt(1 - BETA2 ** this.t);
    this.writeStep(this.mem.train, n, 0, alpha, epsHat);
    this.submit(this.passes.step);
    this.steps += 1;
    if (this.steps % SYNC_EVERY !== 0) return;
    // Wait for the work submitted SYNC_EVERY steps ago, not for this step's: the queue stays fed.
    const previous = this.pending;
    this.pending = this.device.queue.onSubmittedWorkDone();
    if (previous) return previous.then(() => undefined);
  }

  async takeTrainLoss(): Promise<Float32Array> {
    this.assertLive();
    const steps = Math.max(1, this.steps);
    this.steps = 0;
    const [acc] = await readBack(
      this.device,
      [{ from: this.mem.trainAcc, offset: 0, bytes: 8 * this.k }],
      (e) => e.clearBuffer(this.mem.trainAcc),
    );
    return Float32Array.from({ length: this.k }, (_, v) => acc![2 * v]! / steps);
  }

  async batchLoss(examples: Batch): Promise<Float32Array> {
    this.assertLoaded();
    const n = this.placeBatch(examples);
    this.writeStep(this.mem.train, n, 0);
    this.clear(this.mem.evalAcc);
    this.submit(this.passes.loss);
    const [acc] = await readBack(this.device, [
      { from: this.mem.evalAcc, offset: 0, bytes: 8 * this.k },
    ]);
    return Float32Array.from({ length: this.k }, (_, v) => acc![2 * v]! / n);
  }

  private clear(b: GPUBuffer): void {
    const encoder = this.device.createCommandEncoder();
    encoder.clearBuffer(b);
    this.device.queue.submit([encoder.finish()]);
  }

  async evaluate(split: HeldOut, checkpoint?: () => void | Promise<void>): Promise<Evaluation> {
    this.assertLoaded();
    const size = this.session.held[split].size;
    this.clear(this.mem.evalAcc);
    for (let from = 0; from < size; from += this.mem.held.rows) {
      const wait = checkpoint?.();
      if (wait) await wait;
      this.assertLive();
      this.writeStep(this.mem.held, Math.min(this.mem.held.rows, size - from), from);
      this.submit(this.passes.held[split]);
    }
    const [acc] = await readBack(this.device, [
      { from: this.mem.evalAcc, offset: 0, bytes: 8 * this.k },
    ]);
    return {
      loss: Float32Array.from({ length: this.k }, (_, v) => acc![2 * v]! / size),
      accuracy: Float32Array.from({ length: this.k }, (_, v) => acc![2 * v + 1]! / size),
    };
  }

  async readParams(v: number): Promise<Params> {
    this.assertLoaded();
    if (!Number.isInteger(v) || v < 0 || v >= this.k) throw new RangeError(`no variant ${v}`);
    const parts = this.mem.layers.map((l) => l.slice(v));
    const read = await readBack(this.device, parts);
    return {
      weights: read.map((a, l) =>
        a.subarray(0, this.mem.layers[l]!.inn * this.mem.layers[l]!.out).slice(),
      ),
      biases: read.map((a, l) =>
        a.subarray(this.mem.layers[l]!.inn * this.mem.layers[l]!.out).slice(),
      ),
    };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('trainer disposed');
  }

  private assertLoaded(): void {
    this.assertLive();
    if (!this.loaded) throw new Error('load the variants first');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.mem.layers) l.dispose();
    for (const b of this.mem.owned) b.destroy();
    this.onDispose();
  }
}
