/** What tests/e2e/gpu-step.spec.ts asks the GPU check page (main.ts) and what it answers. */
export interface GpuCheck {
  k: number;
  batch: number;
  rounds: number;
  steps: number;
  /** Steps between reads of the running training loss. */
  lossEvery: number;
  /** Examples in the validation (and test) split. */
  heldOut: number;
  /** K at which one more step's dispatches are counted. */
  countAtK: number[];
}

/** How far the WebGPU step is from the SIMD kernels after one round (max over variants). */
export interface RoundReport {
  round: number;
  ownBatches: boolean;
  trainLossDiff: number;
  weightDiff: number;
  biasDiff: number;
  /** Weights the mask prunes that the GPU holds as anything but +0. */
  prunedNonZero: number;
  evalLossDiff: number;
  evalAccuracyDiff: number;
  evalAccuracy: number[];
  batchLossDiff: number;
  /** Counted at GPUComputePassEncoder.dispatchWorkgroups during the round's last step. */
  dispatchesPerStep: number;
  /** Bits where pruning the GPU's trained weights gives another mask than the kernels'. */
  maskBitsDiffering: number;
  /** P_m of the round (variant 0). */
  remaining: number;
}

export interface GpuCheckReport {
  adapter: string;
  software: boolean;
  rounds: RoundReport[];
  dispatchesAtK: Record<number, number>;
}
