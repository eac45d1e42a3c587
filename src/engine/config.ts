/**
 * The experiment's hyperparameters, grouped by concern as in open_lth. Every default is the
 * paper's (Frankle & Carbin 2019, LeNet-300-100 on MNIST, Figure 2 / Appendix G) but one: 3,000
 * iterations per round (a lecture's length) where the paper trains 50,000, as the Paper preset
 * and the CLI's `--iterations 50000` do.
 */

export {
  BIMODAL_VARIANTS,
  type BimodalName,
  CONTROLS,
  type ControlName,
  CRITERIA,
  type CriterionName,
  INITS,
  type InitName,
  INPUTS,
  type InputsName,
  TASKS,
  type TaskName,
  VARIANTS,
  type VariantName,
} from './config-names';
export { beyondThePaper, canonicalConfig, withLaterDefaults } from './config-later';
export { ConfigError, MAX_TRIALS, validateConfig } from './config-check';
import type {
  ControlName,
  CriterionName,
  InitName,
  InputsName,
  TaskName,
  VariantName,
} from './config-names';
import { BIMODAL_VARIANTS } from './config-names';

export interface DataConfig {
  /** Training examples: the first `trainSize` of MNIST's 60k training images (paper: 55,000). */
  trainSize: number;
  /** Validation examples, taken from the END of MNIST's training file (paper: the last 5,000). */
  validationSize: number;
  /** Test examples: the first `testSize` of the 10k test images (paper: 10,000). */
  testSize: number;
  /** Which task the images pose (default: MNIST as it is). */
  task: TaskName;
  /** How pixel bytes become inputs (default: MNIST's mean and deviation). */
  inputs: InputsName;
}

export interface ModelConfig {
  /** Layer widths, input first: LeNet-300-100 is 784-300-100-10 (ReLU, softmax output). */
  layers: number[];
  /**
   * 'glorot': θ0 is Gaussian Glorot (the paper). 'bimodal': θ0 is still Glorot (the ticket must be
   * found from it), and every pruned round also trains two DENSE nets whose weights are drawn,
   * layer by layer, from that round's ticket survivors' starting values, as they are
   * ('bimodal') and rescaled to Glorot's deviation ('bimodal-glorot'), on the same batches as
   * the dense round 0: the seed paper's question whether to initialise from such a bimodal
   * distribution in the first place.
   */
  init: InitName;
}

export interface TrainingConfig {
  /** Adam's learning rate (paper: 1.2e-3). */
  learningRate: number;
  /** Mini-batch size (paper: 60). The ragged last batch of an epoch is dropped. */
  batchSize: number;
  /** Training iterations (mini-batches) per round. */
  iterations: number;
  /** Evaluate train/validation loss and validation/test accuracy every this many iterations. */
  evalEvery: number;
  /** Seed for θ0, the data order and the controls' draws. */
  seed: number;
  /**
   * Independent trials (seeds) of the whole experiment, each a full IMP trajectory with its own
   * masks. Trial t draws θ0, the data order and the controls from `trialSeed(seed, t)`; trial 0 is
   * the seed itself, so a one-trial run is the single-seed run (engine/trials.ts).
   */
  trials: number;
}

export type PruningScope = 'layer' | 'global';
export type PruningMethod = 'iterative' | 'oneShot';
/** What the survivors start from in each pruned round. */
export type ResetSpec = { kind: 'init' } | { kind: 'rewind'; iteration: number };

export interface PruningConfig {
  /** Layer-wise (each layer pruned at its own rate) or global (one threshold across layers). */
  scope: PruningScope;
  /**
   * Fraction of each hidden layer's remaining weights pruned per round (paper: 0.2). Global: the
   * rate.
   */
  rate: number;
  /**
   * Fraction of the output layer's remaining weights pruned per round (paper: 0.1). Layer scope
   * only.
   */
  outputRate: number;
  /** Pruned rounds after the dense round 0. After n rounds P_m ≈ (1 - rate)^n. */
  rounds: number;
  /**
   * iterative: round r prunes the previous round's trained ticket (the paper's method).
   * oneShot: round r prunes the dense net's trained weights in one step, straight to the
   * per-layer counts iterative pruning reaches after r rounds, so the two are compared at equal
   * P_m.
   */
  method: PruningMethod;
  /** Reset survivors to θ0 (the ticket) or rewind them to the dense run's iteration k. */
  reset: ResetSpec;
  /** Controls trained in lockstep with the ticket in every pruned round. */
  controls: ControlName[];
  /** What a round keeps: see CRITERIA (default: magnitude, the paper's). */
  criterion: CriterionName;
  /**
   * The task the run's masks were found on, where that is not its own (null, the default: the
   * run finds them itself). Set when a ticket found on one task trains on another (Morcos et al.
   * 2019's transfer): `data.task` is where it trains.
   */
  foundOn: TaskName | null;
}

export interface ExperimentConfig {
  data: DataConfig;
  model: ModelConfig;
  training: TrainingConfig;
  pruning: PruningConfig;
}

/**
 * The engine's numerics, named in run files: bumped whenever the same config would train or
 * report other numbers, so shards trained by different engines are never merged as one run.
 * 2: Figure 3 bins each variant's own starting values (engine 1 binned θ0 at its mask).
 */
export const ENGINE_VERSION = 'lottery-ticket-lab engine 2';

/** LeNet-300-100 (paper §2, Figure 2): 784 pixels in, two hidden layers, 10 digits out. */
export const LENET_300_100 = [784, 300, 100, 10] as const;

export const DEFAULT_CONFIG: ExperimentConfig = {
  data: {
    trainSize: 55000,
    validationSize: 5000,
    testSize: 10000,
    task: 'mnist',
    inputs: 'meanstd',
  },
  model: { layers: [...LENET_300_100], init: 'glorot' },
  training: {
    learningRate: 1.2e-3,
    batchSize: 60,
    iterations: 3000,
    evalEvery: 100,
    seed: 0,
    trials: 1,
  },
  pruning: {
    scope: 'layer',
    rate: 0.2,
    outputRate: 0.1,
    rounds: 12,
    method: 'iterative',
    reset: { kind: 'init' },
    controls: ['reinit', 'rearrange'],
    criterion: 'magnitude',
    foundOn: null,
  },
};

/** A deep-partial config, as read from a JSON file or a URL. */
export type ConfigPatch = {
  [G in keyof ExperimentConfig]?: Partial<ExperimentConfig[G]>;
};

/** A new config: `patch` over `base`, sharing no arrays or objects with either. */
export function mergeConfig(base: ExperimentConfig, patch: ConfigPatch): ExperimentConfig {
  const model = { ...base.model, ...patch.model };
  const pruning = { ...base.pruning, ...patch.pruning };
  return {
    data: { ...base.data, ...patch.data },
    model: { ...model, layers: Array.isArray(model.layers) ? [...model.layers] : model.layers },
    training: { ...base.training, ...patch.training },
    pruning: {
      ...pruning,
      reset:
        typeof pruning.reset === 'object' && pruning.reset !== null
          ? { ...pruning.reset }
          : pruning.reset,
      controls: Array.isArray(pruning.controls) ? [...pruning.controls] : pruning.controls,
    },
  };
}

/**
 * Variants trained in a round: the dense round 0 trains the ticket alone; a pruned round the
 * ticket, its controls, and with a bimodal init the two dense nets drawn from its survivors.
 */
export function variantsOfRound(config: ExperimentConfig, round: number): VariantName[] {
  if (round === 0) return ['ticket'];
  const dense = config.model.init === 'bimodal' ? BIMODAL_VARIANTS : [];
  return ['ticket', ...config.pruning.controls, ...dense];
}
