import type { SupermaskFigures } from './supermask-report';

/**
 * The shape of bench/results.json (issue 5): kept stable so runs can be compared over time.
 * Throughputs are training examples per second; lockstep figures are per variant.
 */
import type { FirstLoadFigures } from './first-load';

export interface BackendFigures {
  /** The device in words, as the lab's badge says it (a software adapter is named as such). */
  adapter: string;
  batch60: number;
  batch600: number;
  lockstep: { k1: number; k2: number; k3: number; k4: number };
}

export interface MemoryFigures {
  backend: string;
  tensors: number;
  gpuBytes: number;
  /** The kernels' WebAssembly heap in use (0 on tfjs backends). */
  heapBytes: number;
}

export interface BenchResults {
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    browser: string;
  };
  measuredAt: string;
  /** Every backend measured here; a backend that could not start is absent, with why in `notes`. */
  backends: Record<string, BackendFigures>;
  /**
   * K = 3 in lockstep at the masks of the lecture's pruned rounds (layer-wise 20%/10%), on the
   * backend auto chose: the lab's kernels store sparse layers, so a step costs what survives.
   */
  pruned: { backend: string; rounds: { round: number; remaining: number; k3: number }[] };
  /** The lab's own kernels on one thread, beside their multi-threaded figures above. */
  simdOneThread?: { batch60: number; k3: number };
  auto: { backend: string; batch60: number; reason: string };
  /**
   * The textbook tfjs way: tf.sequential + model.fit on the main thread (the faster of its backends
   * here).
   */
  reference: { backend: string; batch60: number };
  references: { backend: string; batch60: number }[];
  firstPointMs: { cold: number; warm: number };
  mainThread: { longestTaskMs: number; tasksOver50ms: number; pauseMs: number };
  data: { bytes: number; loadMs: number; cachedLoadMs: number };
  memory: {
    round1: MemoryFigures;
    round10: MemoryFigures;
    byBackend: Record<string, { round1: MemoryFigures; round10: MemoryFigures }>;
  };
  evaluation: { backend: string; k1Share: number; k3Share: number; evalMs: number; stepMs: number };
  /**
   * The lecture-scale experiment (12 rounds × 3,000 iterations, ticket + reinit + rearrange), when
   * run.
   */
  lecture?: {
    backend: string;
    wallMs: number;
    rounds: {
      round: number;
      variants: number;
      remaining: number;
      wallMs: number;
      ticketAccuracy: number;
    }[];
  };
  /** The lab's Lecture preset (12 rounds × 1,500 iterations, smaller held-out sets), when run. */
  /** The lab's Lecture preset with one seed and with five, in one run of the page. */
  lecturePreset?: { backend: string; trials: number; wallMs: number }[];
  /** The same engine in Node (the CLI): the kernels and tfjs-wasm, batch 60. */
  node: Record<string, { batch60: number; k3: number }>;
  /**
   * The kernels on two threads in Node, one helper ended from outside: milliseconds until they
   * refuse to go on, in words, for a run that keeps stepping (the helper sees no job for 2 s, then
   * misses a roll call) and at the next evaluation (its roll call). Absent from older results.
   */
  threadLoss?: { steppingMs: number; steps: number; evaluationMs: number };
  /** What a first visit fetches and how soon Run can be clicked (issue 17); absent from older results. */
  firstLoad?: FirstLoadFigures;
  /**
   * Issue 17: K networks stacked on the one WebGPU adapter present, the lab's WGSL step beside
   * tfjs's webgpu backend in the same run. Absent from older results, and where no adapter is.
   */
  gpuStack?: GpuStackFigures;
  /** The supermask slider's latency per P_m (bench/supermask.ts). Absent from older results. */
  supermask?: SupermaskFigures;
  /**
   * Issue 17, in Node on every core: ms per K = 3 step at the lecture's round masks as stored
   * (dense or sparse per layer) and all dense, beside a dense K = 1 step; ms per evaluation of
   * 15,000 held-out images through the lit pixels and through the tiles. Absent from older results.
   */
  cpuPath?: {
    compute: string;
    pruned: { round: number; remaining: number; autoMs: number; denseMs: number; k1Ms: number }[];
    evaluation: { round: number; k: number; litMs: number; tilesMs: number }[];
  };
  /** The lecture-scale experiment through the CLI, its command timed as a whole process. */
  lectureCli?: { command: string; compute: string; wallMs: number };
  notes: string[];
}

/** One backend's row of the GPU stack: dispatches per step, examples/s per variant at each K. */
export interface GpuStackRow {
  adapter: string;
  /** Counted at GPUComputePassEncoder.dispatchWorkgroups, per training step, at each K. */
  dispatchesPerStep: Record<string, number>;
  examplesPerSecond: Record<string, number>;
}

export interface GpuStackFigures {
  measuredAt: string;
  batch: number;
  /** The adapter's own words (a software one, SwiftShader, is named as such). */
  adapter: string;
  software: boolean;
  ks: number[];
  /** `gpu` (the lab's WGSL) and `webgpu` (tfjs), where each started. */
  backends: Partial<Record<'gpu' | 'webgpu', GpuStackRow>>;
}
