/**
 * The `Compute` of the lab's own kernels: LeNet's K variants laid out in WebAssembly linear
 * memory (layout in assembly/lenet.ts), one kernel call per layer and phase, split across
 * threads by a KernelPool. The host (worker or Node) instantiates the module and the threads.
 *
 * A session copies the experiment's images into memory once; a trainer lays its round's
 * variants out above them and gives the bytes back when the round ends.
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
import type { LenetKernels } from './abi';
import { Arena } from './arena';
import { type KernelArithmetic, kernelsName } from './kernel-files';
import { KernelTrainer } from './kernel-trainer';
import type { LayerStorage } from './layers';
import { type HeldLit, heldOutLit, litCount, litPays } from './lit-first-layer';
import type { KernelPool } from './pool';

export interface SplitAt {
  images: number;
  labels: number;
  size: number;
  /** Per-image input factors (per-image L2), or 0 for none. */
  scale: number;
}

export class KernelCompute implements Compute {
  /** Each variant may gather its own batch: trials train in lockstep here. */
  readonly ownBatches = true;
  readonly arena: Arena;
  private live: KernelSession | null = null;

  constructor(
    readonly kernels: LenetKernels,
    memory: ConstructorParameters<typeof Arena>[0],
    readonly pool: KernelPool,
    /**
     * Settles, saying why, if a helper thread dies: the pool cannot go on (the host watches them).
     */
    readonly lost: Promise<string> | null = null,
    /** Which build the host loaded: fused multiply-add or not (kernel-files.ts). */
    readonly arithmetic: KernelArithmetic = 'plain',
  ) {
    this.arena = new Arena(memory);
  }

  get name(): string {
    return kernelsName(this.arithmetic, this.pool.threads);
  }

  open(data: Dataset, layers: readonly number[], options: SessionOptions): KernelSession {
    if (this.live)
      throw new Error('the kernels hold one experiment at a time: dispose the other first');
    if (layers[0] !== IMAGE_SIZE)
      throw new RangeError(`the kernels take ${IMAGE_SIZE} inputs, not ${layers[0]}`);
    this.live = new KernelSession(this, data, layers, options.batchSize, () => (this.live = null));
    return this.live;
  }

  async roundTrip(arrays: readonly Float32Array[]): Promise<Float32Array[]> {
    const mark = this.arena.mark();
    try {
      const at = arrays.map((a) => {
        const p = this.arena.alloc(a.byteLength);
        this.arena.f32(p, a.length).set(a);
        return p;
      });
      return at.map((p, i) => this.arena.f32(p, arrays[i]!.length).slice());
    } finally {
      this.arena.release(mark);
    }
  }

  /** Stops the helper threads. */
  dispose(): void {
    this.pool.dispose();
  }
}

export class KernelSession implements ComputeSession {
  readonly mark: number;
  readonly train: SplitAt;
  readonly held: Record<HeldOut, SplitAt>;
  /** The engine's byte → input table, and 0, 1, 2, … for reading held-out sets in order. */
  readonly lut: number;
  readonly sequence: number;
  /** The share of the held-out images' pixels that are lit (byte ≠ 0): ~0.19 for MNIST. */
  readonly litShare: number;
  /** The held-out sets' lit pixels, listed once, where evaluation may read them (litPays). */
  readonly heldLit: Record<HeldOut, HeldLit> | null;
  /** The round being trained: a session ends it first, so regions are given back in order. */
  private live: KernelTrainer | null = null;
  private disposed = false;

  constructor(
    readonly compute: KernelCompute,
    readonly data: Dataset,
    readonly layers: readonly number[],
    readonly batchSize: number,
    private readonly onDispose: () => void,
  ) {
    const arena = compute.arena;
    this.mark = arena.mark();
    const copy = (s: Split): SplitAt => {
      const images = arena.alloc(s.images.length);
      arena.u8(images, s.images.length).set(s.images);
      const labels = arena.alloc(s.labels.length);
      arena.u8(labels, s.labels.length).set(s.labels);
      let scale = 0;
      if (s.scale) {
        scale = arena.alloc(s.scale.byteLength);
        arena.f32(scale, s.scale.length).set(s.scale);
      }
      return { images, labels, size: s.size, scale };
    };
    this.train = copy(data.train);
    this.held = { validation: copy(data.validation), test: copy(data.test) };
    this.lut = arena.alloc(256 * 4);
    arena.f32(this.lut, 256).set(data.train.table);
    const longest = Math.max(data.validation.size, data.test.size);
    this.sequence = arena.alloc(longest * 4);
    arena.u32(this.sequence, longest).set(Uint32Array.from({ length: longest }, (_, i) => i));
    const held = { validation: data.validation, test: data.test };
    const lit = { validation: 0, test: 0 };
    let pixels = 0;
    for (const split of ['validation', 'test'] as const) {
      const s = held[split];
      lit[split] = litCount(s.images.subarray(0, s.size * IMAGE_SIZE));
      pixels += s.size * IMAGE_SIZE;
    }
    this.litShare = (lit.validation + lit.test) / Math.max(1, pixels);
    this.heldLit =
      layers[0] === IMAGE_SIZE && litPays(this.litShare, { sparse: false, density: 1 })
        ? {
            validation: heldOutLit(arena, data.validation.size, lit.validation),
            test: heldOutLit(arena, data.test.size, lit.test),
          }
        : null;
  }

  trainer(k: number, options: TrainerOptions = {}): Trainer {
    return this.kernelTrainer(k, 'auto', options.ownBatches ?? false);
  }

  /**
   * A trainer whose layers are stored as asked (tests compare dense and sparse storage), and
   * whose evaluation may read the lit pixels (`lit`; tests and the benchmark turn it off).
   */
  kernelTrainer(
    k: number,
    storage: LayerStorage | readonly LayerStorage[],
    ownBatches = false,
    lit = true,
  ): KernelTrainer {
    if (this.disposed) throw new Error('compute session disposed');
    if (this.live) throw new Error('one trainer at a time: dispose the round before');
    const trainer = new KernelTrainer(this, k, () => (this.live = null), storage, ownBatches, lit);
    this.live = trainer;
    return trainer;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // A round abandoned mid-way (a stop, a fallback) may still hold its trainer: end it here, so a
    // late dispose of it cannot free what a later session has laid out in the same bytes.
    this.live?.dispose();
    this.compute.arena.release(this.mark);
    this.onDispose();
  }
}
