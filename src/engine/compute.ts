/**
 * Where a round's arithmetic runs, behind one interface (issue 5): tfjs on whatever backend it
 * has started (tf-compute.ts), or the lab's own WebAssembly SIMD kernels (src/kernels/). The
 * experiment only ever sees these three shapes, so both paths train the same rounds, are tested
 * against each other, and can be swapped per run.
 */
import type { Dataset } from './data';
import type { Params, VariantStart } from './init';

/** Per-variant means over a held-out split. */
export interface Evaluation {
  loss: Float32Array;
  accuracy: Float32Array;
}

export type HeldOut = 'validation' | 'test';

/**
 * K variants of one MLP (the ticket and its controls) trained in lockstep on the same
 * mini-batches. One trainer per round; its variants' masks are fixed once loaded.
 */
export interface Trainer {
  readonly k: number;
  /** Loads the variants' starting points (masks, survivors' values) and resets Adam. */
  load(starts: readonly VariantStart[]): void;
  /**
   * One Adam step of every variant on the training examples `indices`. Each variant's mean loss
   * on the batch, measured before the update, joins its running training loss. A returned
   * promise must be awaited before the next step (a GPU queue asking the loop to wait).
   */
  step(indices: Uint32Array, learningRate: number): void | Promise<void>;
  /** Mean training loss of each variant over the steps since the last call, which it forgets. */
  takeTrainLoss(): Promise<Float32Array>;
  /** Mean loss of each variant's current weights on the training examples `indices` (no step). */
  batchLoss(indices: Uint32Array): Promise<Float32Array>;
  /** Mean loss and accuracy over a held-out split; `checkpoint` is awaited between chunks. */
  evaluate(split: HeldOut, checkpoint?: () => void | Promise<void>): Promise<Evaluation>;
  /** Variant v's weights ([in, out] row-major) and biases, as they are now. */
  readParams(v: number): Promise<Params>;
  dispose(): void;
}

/**
 * The data of one experiment made resident where the compute runs (held-out sets uploaded once).
 */
export interface ComputeSession {
  /** A trainer for k variants; one at a time per session. */
  trainer(k: number): Trainer;
  dispose(): void;
}

export interface SessionOptions {
  batchSize: number;
  /** Held-out examples per forward pass, where the compute chunks them (tfjs: 1000; 200 on cpu). */
  evalChunk?: number;
}

export interface Compute {
  /** In words, for logs and results: e.g. "tfjs wasm" or "simd, 2 threads". */
  readonly name: string;
  open(data: Dataset, layers: readonly number[], options: SessionOptions): ComputeSession;
  /** Uploads arrays and reads them back: proves the device holds the same bits as the CPU drew. */
  roundTrip(arrays: readonly Float32Array[]): Promise<Float32Array[]>;
}
