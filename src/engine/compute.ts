/**
 * Where a round's arithmetic runs, behind one interface (issue 5): tfjs on whatever backend it
 * has started (tf-compute.ts), the lab's own WebAssembly SIMD kernels (src/kernels/), or its own
 * WebGPU step (src/gpu/, issue 17). The experiment only ever sees these three shapes, so every
 * path trains the same rounds, is tested against another, and can be swapped per run.
 */
import type { Dataset } from './data';
import type { Params, VariantStart } from './init';

/**
 * The training examples of one step: one batch every variant trains on (the ticket and its
 * controls), or one batch per variant (trials in lockstep, each on its own seed's data order).
 */
export type Batch = Uint32Array | readonly Uint32Array[];

/** Per-variant means over a held-out split. */
export interface Evaluation {
  loss: Float32Array;
  accuracy: Float32Array;
}

export type HeldOut = 'validation' | 'test';

/**
 * K variants of one MLP (the ticket and its controls, of one trial or several) trained in
 * lockstep. One trainer per round; its variants' masks are fixed once loaded.
 */
export interface Trainer {
  readonly k: number;
  /** Loads the variants' starting points (masks, survivors' values) and resets Adam. */
  load(starts: readonly VariantStart[]): void;
  /**
   * One Adam step of every variant on its training examples (one batch for all, or one per
   * variant from a trainer made with `ownBatches`). Each variant's mean loss on its batch,
   * measured before the update, joins its running training loss. A returned promise must be
   * awaited before the next step (a GPU queue asking the loop to wait).
   */
  step(batch: Batch, learningRate: number): void | Promise<void>;
  /** Mean training loss of each variant over the steps since the last call, which it forgets. */
  takeTrainLoss(): Promise<Float32Array>;
  /** Mean loss of each variant's current weights on its training examples (no step). */
  batchLoss(batch: Batch): Promise<Float32Array>;
  /** Mean loss and accuracy over a held-out split; `checkpoint` is awaited between chunks. */
  evaluate(split: HeldOut, checkpoint?: () => void | Promise<void>): Promise<Evaluation>;
  /** Variant v's weights ([in, out] row-major) and biases, as they are now. */
  readParams(v: number): Promise<Params>;
  dispose(): void;
}

/**
 * The data of one experiment made resident where the compute runs (held-out sets uploaded once).
 */
export interface TrainerOptions {
  /** Each variant takes its own batch (see Compute.ownBatches); one shared batch otherwise. */
  ownBatches?: boolean;
}

export interface ComputeSession {
  /** A trainer for k variants; one at a time per session. */
  trainer(k: number, options?: TrainerOptions): Trainer;
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
  /**
   * Whether its trainers can give each variant its own batch, so that trials train in lockstep
   * (the lab's kernels); tfjs's stacked model shares one input batch among its variants.
   */
  readonly ownBatches: boolean;
  open(data: Dataset, layers: readonly number[], options: SessionOptions): ComputeSession;
  /** Uploads arrays and reads them back: proves the device holds the same bits as the CPU drew. */
  roundTrip(arrays: readonly Float32Array[]): Promise<Float32Array[]>;
}

/** The one batch every variant shares, for a trainer that does not take a batch per variant. */
export function sharedBatch(batch: Batch): Uint32Array {
  if (batch instanceof Uint32Array) return batch;
  throw new RangeError(
    'this trainer trains every variant on one batch: it takes no batch per variant',
  );
}
