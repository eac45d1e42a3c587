/** What a config will do before anything has run: the settings panel's previews. */
import { type ExperimentConfig, variantsOfRound } from '../engine/config';
import { weightSizes } from '../engine/init';
import { scheduledGlobalCount, scheduledLayerCounts } from '../engine/prune';
import type { DeviceSpeed, SpeedAtDensity } from '../worker/protocol';

/** P_m after `round` rounds of this config: the rounds slider's preview. */
export function plannedRemaining(config: ExperimentConfig, round: number): number {
  const sizes = weightSizes(config.model.layers);
  const total = sizes.reduce((a, b) => a + b, 0);
  const kept =
    config.pruning.scope === 'layer'
      ? scheduledLayerCounts(config, sizes, round).reduce((a, b) => a + b, 0)
      : scheduledGlobalCount(config, sizes, round);
  return kept / total;
}

/** What a run of a config computes, every trial and every variant counted. */
export interface PlannedWork {
  /** Training examples stepped through: trials × Σ over rounds of variants × steps × batch. */
  trained: number;
  /**
   * Images passed forward only: the validation and test sets at every evaluation, and each
   * round's first batch once, for the starting weights' training loss (round-training.ts).
   */
  evaluated: number;
}

/**
 * Evaluations of one variant in a round trained from iteration `first` to `iterations`, as
 * round-training.ts makes them: one before the first step, one at every multiple of `evalEvery`
 * after it, and one at the last iteration if that is not a multiple.
 */
function evaluationsOfRound(first: number, iterations: number, evalEvery: number): number {
  const multiples = Math.floor(iterations / evalEvery) - Math.floor(first / evalEvery);
  return 1 + multiples + (iterations > first && iterations % evalEvery !== 0 ? 1 : 0);
}

/** The training and evaluation of one round, every variant and trial counted. */
function roundWork(config: ExperimentConfig, round: number): PlannedWork {
  const { iterations, evalEvery, batchSize, trials } = config.training;
  const { reset } = config.pruning;
  const images = config.data.validationSize + config.data.testSize;
  // A rewound round picks up the dense run's schedule at iteration k (Experiment's
  // firstIteration): it trains iterations k+1..n only.
  const first = round > 0 && reset.kind === 'rewind' ? reset.iteration : 0;
  const variants = variantsOfRound(config, round).length;
  return {
    trained: trials * variants * (iterations - first) * batchSize,
    evaluated:
      trials * variants * (batchSize + evaluationsOfRound(first, iterations, evalEvery) * images),
  };
}

/** The training and evaluation a run of `config` does, before it runs (issue 14: trials). */
export function plannedWork(config: ExperimentConfig): PlannedWork {
  let trained = 0;
  let evaluated = 0;
  for (let round = 0; round <= config.pruning.rounds; round++) {
    const w = roundWork(config, round);
    trained += w.trained;
    evaluated += w.evaluated;
  }
  return { trained, evaluated };
}

/**
 * What evaluating one image costs, in training examples: an assumption, not a measurement. A
 * training step is a forward pass, a backward pass of about twice its arithmetic (the gradients
 * of the activations and of the weights) and Adam's update; an evaluation is the forward pass
 * alone, about a third.
 */
const EVALUATION_COST = 1 / 3;

const costOf = (w: PlannedWork) => w.trained + EVALUATION_COST * w.evaluated;

/**
 * A throughput the lab measured, as the run bar shows it: training examples a second (every
 * variant and trial counted) over a run of `config`, whose wall clock counts its evaluations too.
 */
export interface MeasuredRate {
  config: ExperimentConfig;
  examplesPerSecond: number;
}

/**
 * Seconds a run of `config` would take at a measured rate; null without one. The measured run's
 * evaluations are taken out of its rate first (its config says how many it made), so a config
 * that evaluates more or less often than the measured one is costed for what it does. An
 * estimate: throughput grows as rounds prune (sparse layers train faster) and varies with the
 * number of variants a trainer holds, and one rate stands for all of that.
 */
export function estimateSeconds(config: ExperimentConfig, measured: MeasuredRate): number | null {
  if (!(measured.examplesPerSecond > 0)) return null;
  const m = plannedWork(measured.config);
  const costPerSecond = (measured.examplesPerSecond * costOf(m)) / m.trained;
  return costOf(plannedWork(config)) / costPerSecond;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A count at a glance: 950, 165k, 10.0M. */
function count(n: number): string {
  if (n >= 999_500) return `${(n / 1e6).toFixed(1)}M`;
  return n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);
}

/** "3 seeds × 13 rounds × up to 3 variants: 10.0M training examples, 12.4M images evaluated". */
export function describeWork(config: ExperimentConfig): string {
  const rounds = config.pruning.rounds + 1;
  const widths = Array.from({ length: rounds }, (_, r) => variantsOfRound(config, r).length);
  const most = Math.max(...widths);
  const variants = `${most > Math.min(...widths) ? 'up to ' : ''}${plural(most, 'variant')}`;
  const { trained, evaluated } = plannedWork(config);
  return `${plural(config.training.trials, 'seed')} × ${plural(rounds, 'round')} × ${variants}: ${count(trained)} training examples, ${count(evaluated)} images evaluated`;
}

/**
 * Seconds a run of `config` would take at a device's measured speed: its training examples at
 * the training rate, its evaluated images at the evaluation rate (at the paper's protocol
 * evaluation is about half a round). Null without a usable speed. Dense speed: the lab's kernels
 * train pruned rounds faster, so a long run tends to take less.
 */
export function secondsAtSpeed(
  config: ExperimentConfig,
  speed: Pick<DeviceSpeed, 'trainPerSecond' | 'evalPerSecond' | 'byDensity'>,
): number | null {
  if (!(speed.trainPerSecond > 0 && speed.evalPerSecond > 0)) return null;
  const points = (speed.byDensity ?? []).filter(
    (p) => p.density > 0 && p.trainPerSecond > 0 && p.evalPerSecond > 0,
  );
  if (points.length < 2) {
    const { trained, evaluated } = plannedWork(config);
    return trained / speed.trainPerSecond + evaluated / speed.evalPerSecond;
  }
  // Each round at the rates measured nearest its P_m (pruned rounds cost what their masks cost).
  // A bimodal init's pruned rounds also train two dense nets, and a round whose variants keep
  // different counts trains in dense storage (the kernels' layers.ts): all of it at P_m 100%.
  let seconds = 0;
  for (let round = 0; round <= config.pruning.rounds; round++) {
    const w = roundWork(config, round);
    const dense = config.model.init === 'bimodal' && round > 0;
    const at = rateAt(points, dense ? 1 : plannedRemaining(config, round));
    seconds += w.trained / at.trainPerSecond + w.evaluated / at.evalPerSecond;
  }
  return seconds;
}

/**
 * Rates at `density`, read between the two measured densities around it (linearly in the log of
 * the density; the nearest end outside them).
 */
export function rateAt(
  points: readonly SpeedAtDensity[],
  density: number,
): { trainPerSecond: number; evalPerSecond: number } {
  const sorted = [...points].sort((a, b) => b.density - a.density);
  if (density >= sorted[0]!.density) return sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (density <= last.density) return last;
  const i = sorted.findIndex((p) => p.density <= density);
  const [hi, lo] = [sorted[i - 1]!, sorted[i]!];
  const t = Math.log(hi.density / density) / Math.log(hi.density / lo.density);
  // Times per item, not rates, are what adds up linearly.
  const mix = (a: number, b: number) => 1 / ((1 - t) / a + t / b);
  return {
    trainPerSecond: mix(hi.trainPerSecond, lo.trainPerSecond),
    evalPerSecond: mix(hi.evalPerSecond, lo.evalPerSecond),
  };
}

/** A duration in words: "45 s", "16 min", "3 h 40 min". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const m = minutes % 60;
  return `${Math.floor(minutes / 60)} h${m ? ` ${m} min` : ''}`;
}

/** "≈ 5 min at the last measured 32,641 examples/s (an estimate: …)", or null without a rate. */
export function describeEstimate(config: ExperimentConfig, measured: MeasuredRate): string | null {
  const seconds = estimateSeconds(config, measured);
  if (seconds === null) return null;
  const rate = Math.round(measured.examplesPerSecond).toLocaleString('en-US');
  return `≈ ${duration(seconds)} at the last measured ${rate} examples/s (an estimate: the rate changes as rounds prune)`;
}

/** What an estimate can start from: the run on screen's rate, or the device's measured speed. */
export interface EstimateBasis {
  /** The run trained on screen (null: none, or a replay, whose rate is another machine's). */
  runConfig: ExperimentConfig | null;
  /** Its measured rate, as the run bar shows it (null before its first progress). */
  runRate: number | null;
  /** This device's speed on the chosen backend (null: not measured yet, or another backend). */
  speed: DeviceSpeed | null;
}

export interface RunEstimate {
  seconds: number;
  /** The estimate and what it is based on, in words. */
  words: string;
}

const whole = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The time a run of `config` would take: from this device's measured speed where it is known
 * (each round at its own P_m), else from the run on screen's rate (one round's rate, the latest:
 * the fallback before the device is timed); null before either is known.
 */
export function estimateRun(config: ExperimentConfig, basis: EstimateBasis): RunEstimate | null {
  const speed = basis.speed;
  const seconds = speed && secondsAtSpeed(config, speed);
  if (speed && seconds !== null)
    return {
      seconds,
      words: `≈ ${duration(seconds)} on this device (${speed.backend}, measured: ${speedWords(speed)})`,
    };
  if (basis.runConfig && basis.runRate !== null) {
    const measured = { config: basis.runConfig, examplesPerSecond: basis.runRate };
    const fromRun = estimateSeconds(config, measured);
    const words = describeEstimate(config, measured);
    if (fromRun !== null && words !== null) return { seconds: fromRun, words };
  }
  return null;
}

/** "31,089 training examples/s at batch 60 dense, 58,000 at 5% of weights; …". */
function speedWords(speed: DeviceSpeed): string {
  const sparsest = speed.byDensity?.[speed.byDensity.length - 1];
  const dense = `${whole(speed.trainPerSecond)} training examples/s at batch ${speed.batchSize}, ${whole(speed.evalPerSecond)} evaluated images/s`;
  if (!sparsest || sparsest.density >= 1) return `${dense}; pruned rounds can run faster`;
  const n = speed.byDensity!.length;
  return `${dense} dense; ${whole(sparsest.trainPerSecond)} and ${whole(sparsest.evalPerSecond)} at ${Math.round(sparsest.density * 100)}% of weights; each round at its own P_m, from ${n} timed densities`;
}

/** Runs estimated over this long ask before they start (issue 15: hours on a laptop). */
export const LONG_RUN_SECONDS = 10 * 60;
