/// <reference types="@webgpu/types" />
/**
 * The `Compute` of the lab's own WebGPU step (issue 17): the shaders of wgsl.ts on a device of
 * its own, beside tfjs's webgpu backend (kept as the reference and a fallback). A session uploads
 * the experiment's images once (as bytes, four to a word: 47 MB for MNIST's training split, not
 * the 184 MB of floats); a trainer holds one round's K variants (gpu-trainer.ts).
 */
import type {
  Compute,
  ComputeSession,
  HeldOut,
  SessionOptions,
  Trainer,
  TrainerOptions,
} from '../engine/compute';
import { type Dataset, IMAGE_SIZE, type Split } from '../engine/data';
import { buffer, pipelines, readBack, upload, write } from './gpu-kit';
import { GpuTrainer } from './gpu-trainer';

/** A split on the GPU: its bytes, labels and per-image scales (null: none). */
export interface SplitOnGpu {
  images: GPUBuffer;
  labels: GPUBuffer;
  scale: GPUBuffer | null;
  size: number;
}

export class GpuCompute implements Compute {
  /** Each variant may gather its own batch: trials train in lockstep here too. */
  readonly ownBatches = true;
  /** Settles, saying why, when the device is lost (the worker then falls back). */
  readonly lost: Promise<string>;
  private live: GpuSession | null = null;

  constructor(
    readonly device: GPUDevice,
    /** The adapter in words, for the name and the backend badge. */
    readonly adapter: string,
  ) {
    // Lost for good (a driver reset, a watchdog, destroy()), or an error WebGPU reports only as
    // an event: out of memory, or any other, after which the step's numbers cannot be trusted.
    this.lost = new Promise<string>((resolve) => {
      void device.lost.then((info) =>
        resolve(
          `the WebGPU device was lost: ${info.reason}${info.message ? `, ${info.message}` : ''}`,
        ),
      );
      device.addEventListener('uncapturederror', (e) => {
        const error = (e as GPUUncapturedErrorEvent).error;
        const oom =
          typeof GPUOutOfMemoryError !== 'undefined' && error instanceof GPUOutOfMemoryError;
        resolve(
          oom
            ? `the GPU ran out of memory: ${error.message}`
            : `the GPU step failed: ${error.message}`,
        );
      });
    });
  }

  get name(): string {
    return "gpu (the lab's WGSL)";
  }

  /** An experiment is open on the device (a run is training on it). */
  get busy(): boolean {
    return this.live !== null;
  }

  open(data: Dataset, layers: readonly number[], options: SessionOptions): GpuSession {
    if (this.live)
      throw new Error('the GPU step holds one experiment at a time: dispose the other first');
    if (layers[0] !== IMAGE_SIZE)
      throw new RangeError(`the GPU step takes ${IMAGE_SIZE} inputs, not ${layers[0]}`);
    this.live = new GpuSession(this, data, layers, options.batchSize, () => (this.live = null));
    return this.live;
  }

  async roundTrip(arrays: readonly Float32Array[]): Promise<Float32Array[]> {
    const buffers = arrays.map((a) => upload(this.device, a));
    try {
      return await readBack(
        this.device,
        buffers.map((b, i) => ({ from: b, offset: 0, bytes: arrays[i]!.byteLength })),
      );
    } finally {
      for (const b of buffers) b.destroy();
    }
  }

  dispose(): void {
    this.live?.dispose();
    this.device.destroy();
  }
}

export class GpuSession implements ComputeSession {
  readonly train: SplitOnGpu;
  readonly held: Record<HeldOut, SplitOnGpu>;
  /** The engine's byte → input table (256 floats). */
  readonly lut: GPUBuffer;
  readonly longestHeldOut: number;
  readonly device: GPUDevice;
  private live: GpuTrainer | null = null;
  private disposed = false;

  constructor(
    readonly compute: GpuCompute,
    data: Dataset,
    readonly layers: readonly number[],
    readonly batchSize: number,
    private readonly onDispose: () => void,
  ) {
    this.device = compute.device;
    const put = (s: Split): SplitOnGpu => ({
      images: upload(this.device, s.images),
      labels: upload(this.device, s.labels),
      scale: s.scale ? upload(this.device, s.scale) : null,
      size: s.size,
    });
    this.train = put(data.train);
    this.held = { validation: put(data.validation), test: put(data.test) };
    this.lut = buffer(this.device, 256 * 4);
    write(this.device, this.lut, 0, data.train.table);
    this.longestHeldOut = Math.max(1, data.validation.size, data.test.size);
  }

  trainer(k: number, options: TrainerOptions = {}): Trainer {
    return this.gpuTrainer(k, options.ownBatches ?? false);
  }

  /** The trainer with its GPU-only facts (dispatches per step) in view: tests and the bench. */
  gpuTrainer(k: number, ownBatches = false): GpuTrainer {
    if (this.disposed) throw new Error('compute session disposed');
    if (this.live) throw new Error('one trainer at a time: dispose the round before');
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`a trainer of ${k} variants`);
    this.live = new GpuTrainer(this, k, ownBatches, () => (this.live = null));
    return this.live;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live?.dispose();
    for (const s of [this.train, this.held.validation, this.held.test])
      for (const b of [s.images, s.labels, s.scale]) b?.destroy();
    this.lut.destroy();
    this.onDispose();
  }
}

/**
 * Starts the GPU step on the adapter offered, asking for the storage limits the largest round
 * needs (MNIST's bytes, K = 20 layers of LeNet-300-100); null, saying why, where none can start.
 */
export async function startGpu(
  gpu: GPU | undefined,
): Promise<{ compute: GpuCompute; software: boolean } | { why: string }> {
  if (!gpu) return { why: 'no WebGPU in this browser' };
  const adapter = await gpu
    .requestAdapter({ powerPreference: 'high-performance' })
    .catch(() => null);
  if (!adapter) return { why: 'no WebGPU adapter' };
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const words = [info?.vendor, info?.architecture, info?.device, info?.description]
    .filter(Boolean)
    .join(' ');
  const software =
    Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter) ||
    /swiftshader|llvmpipe|software|warp/i.test(words);
  const l = adapter.limits;
  try {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(8, l.maxStorageBuffersPerShaderStage),
      },
    });
    // Compiled once, now: a shader or pipeline the device refuses fails the start, with its words.
    device.pushErrorScope('validation');
    pipelines(device);
    const refused = await device.popErrorScope();
    if (refused) {
      device.destroy();
      return { why: `the lab's WGSL did not compile here: ${refused.message}` };
    }
    return { compute: new GpuCompute(device, words || 'unknown adapter'), software };
  } catch (e) {
    return { why: `no WebGPU device: ${(e as Error).message}` };
  }
}
