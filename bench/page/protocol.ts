/**
 * What bench/run.ts asks the benchmark page (and its worker) to measure, and what comes back.
 * One request per fresh worker: every measurement starts cold, as a new tab would.
 */
import type { BackendChoice, BackendName } from '../../src/worker/protocol';

export type BenchRequest =
  /**
   * Training examples/s per variant: K variants in lockstep, `batch` examples a step, real MNIST;
   * dense, or with random masks keeping `densities` of each layer (a pruned round's shape).
   */
  | {
      type: 'train';
      backend: BackendChoice;
      threads?: number;
      batch: number;
      k: number;
      budgetMs: number;
      densities?: number[];
    }
  /**
   * One evaluation (5k validation + 10k test) against 100 training steps: the evaluation's share.
   */
  | { type: 'evalShare'; backend: BackendChoice; k: number }
  /** MNIST into the worker: over the network (Cache Storage cleared first) or from the cache. */
  | { type: 'mnist'; cold: boolean }
  /** tfjs tensors, GPU bytes and the kernels' heap after each round of a short run. */
  | { type: 'memory'; backend: BackendChoice; rounds: number }
  /**
   * The lecture-scale experiment (12 × 3,000 iterations), or the lab's Lecture preset, timed round
   * by round, with `trials` seeds (as the lab's worker trains them: round by round, in lockstep
   * where the backend allows).
   */
  | { type: 'lecture'; backend: BackendChoice; preset: 'scale' | 'lecture'; trials: number }
  /**
   * Issue 17: K networks stacked on one GPU, the lab's WGSL step (`gpu`) or tfjs's (`webgpu`):
   * dispatches per training step, counted at GPUComputePassEncoder, and examples/s per variant.
   */
  | { type: 'gpuStack'; backend: 'gpu' | 'webgpu'; k: number; batch: number; budgetMs: number };

export interface BackendSeen {
  backend: BackendName;
  adapter: string;
  reason: string;
}

export interface TrainReply extends BackendSeen {
  /** Median over windows, examples per second per variant. */
  examplesPerSecond: number;
  windows: number[];
  stepMs: number;
}

export interface EvalShareReply extends BackendSeen {
  stepMs: number;
  evalMs: number;
  /**
   * evalMs / (evalMs + 100 · stepMs): the share of a round that evaluation costs at evalEvery =
   * 100.
   */
  share: number;
}

export interface MnistReply {
  /** Bytes that crossed the network (transferSize), 0 from the cache. */
  transferredBytes: number;
  /** Bytes of the compressed assets read (network or cache). */
  assetBytes: number;
  ms: number;
  fromCache: boolean;
}

export interface MemoryReply extends BackendSeen {
  rounds: { round: number; tensors: number; gpuBytes: number; heapBytes: number }[];
}

export interface LectureReply extends BackendSeen {
  trials: number;
  wallMs: number;
  rounds: {
    round: number;
    variants: number;
    remaining: number;
    wallMs: number;
    ticketAccuracy: number;
  }[];
}

export interface GpuStackReply extends BackendSeen {
  k: number;
  /** Dispatches recorded by one training step (the mean of a few, after a warm-up). */
  dispatchesPerStep: number;
  /** Median over windows, examples per second per variant. */
  examplesPerSecond: number;
  windows: number[];
}

export type BenchReply =
  TrainReply | EvalShareReply | MnistReply | MemoryReply | LectureReply | GpuStackReply;

/** The textbook tfjs way, on the page's main thread: tf.sequential + model.fit. */
export interface ReferenceReply {
  backend: string;
  batch60: number;
}
