/**
 * Small valid files for tests (issue 4): a three-round run of a 784-16-8-10 net and its round-2
 * ticket, built with the engine's own θ0, pruning counts, histograms and pixel counts so that
 * they look like what the lab writes. Deterministic: every call returns an equal fresh copy.
 */
import {
  type ExperimentConfig,
  DEFAULT_CONFIG,
  mergeConfig,
  variantsOfRound,
} from '../engine/config';
import type { RoundResult } from '../engine/experiment';
import { initialParams } from '../engine/init';
import { Mask } from '../engine/mask';
import { type CurvePoint, findEarlyStop, layerHistograms, pixelSurvivors } from '../engine/metrics';
import { keepLargestPerLayer, scheduledLayerCounts } from '../engine/prune';
import { trialSeed } from '../engine/trial-seed';
import { assembleRounds, trialsOfShard } from '../engine/trials';
import { FormatError } from './errors';
import { type RunFile, type Shard, runFile } from './run-file';
import { roundsOfOneTrial } from './run-rounds';
import type { Ticket } from './ticket';

export const TINY_CONFIG: ExperimentConfig = mergeConfig(DEFAULT_CONFIG, {
  data: { trainSize: 1000, validationSize: 200, testSize: 200 },
  model: { layers: [784, 16, 8, 10] },
  training: { iterations: 20, evalEvery: 10, batchSize: 20, seed: 7 },
  pruning: { rounds: 2, controls: ['reinit', 'random'] },
});

const CREATED = '2025-01-31T12:00:00.000Z';

/** The ticket's masks of `round` in a run of `config`: the scheduled counts, largest |θ0| kept. */
export function tinyMasks(config: ExperimentConfig, round: number): Mask[] {
  const theta0 = initialParams(config.model.layers, config.training.seed);
  const counts = scheduledLayerCounts(
    config,
    theta0.weights.map((w) => w.length),
    round,
  );
  return keepLargestPerLayer(
    theta0.weights,
    theta0.weights.map((w) => Mask.ones(w.length)),
    counts,
  );
}

const density = (masks: readonly Mask[]) =>
  masks.reduce((s, m) => s + m.count, 0) / masks.reduce((s, m) => s + m.size, 0);

/** A curve that learns: float32 values, like the engine's. */
export function tinyCurve(config: ExperimentConfig, round: number, variant: number): CurvePoint[] {
  const { iterations, evalEvery } = config.training;
  const points: CurvePoint[] = [];
  for (let it = 0; it <= iterations; it += evalEvery) {
    const t = (it + 1) / (iterations + 1);
    points.push({
      iteration: it,
      trainLoss: Math.fround(2.3 * (1 - t) + 0.05 * (variant + 1)),
      validationLoss: Math.fround(2.3 * (1 - 0.9 * t) + 0.01 * round),
      validationAccuracy: Math.fround(0.1 + 0.85 * t - 0.01 * variant),
      testAccuracy: Math.fround(0.1 + 0.84 * t - 0.01 * variant),
    });
  }
  return points;
}

function tinyRound(config: ExperimentConfig, round: number): RoundResult {
  const layers = config.model.layers;
  const theta0 = initialParams(layers, config.training.seed);
  const masks = tinyMasks(config, round);
  return {
    round,
    remaining: density(masks),
    remainingByLayer: masks.map((m) => m.density),
    variants: variantsOfRound(config, round).map((variant, i) => {
      const curve = tinyCurve(config, round, i);
      return {
        variant,
        remaining: density(masks),
        remainingByLayer: masks.map((m) => m.density),
        curve,
        earlyStop: findEarlyStop(curve),
        finalTestAccuracy: curve[curve.length - 1]!.testAccuracy,
        histograms: layerHistograms(layers, theta0.weights, theta0.weights, masks),
        pixelSurvivors: Array.from(pixelSurvivors(masks[0]!, layers[1]!)),
      };
    }),
    wallMs: 1234.5 + round,
    examplesPerSecond: 5678.25,
  };
}

/** The engine's results of a complete three-round, one-trial run of TINY_CONFIG (rounds 0–2). */
export function tinyRounds(): RoundResult[] {
  const config = mergeConfig(TINY_CONFIG, {});
  return [0, 1, 2].map((r) => tinyRound(config, r));
}

/** tinyRounds as a run file (one trial). */
export function tinyRunFile(): RunFile {
  const config = mergeConfig(TINY_CONFIG, {});
  return runFile({
    name: 'tiny run',
    createdAt: CREATED,
    backend: 'cpu (node)',
    config,
    wallMs: 4000,
    rounds: roundsOfOneTrial(config, tinyRounds()),
  });
}

/**
 * The round-`round` ticket of TINY_CONFIG: θ0 at its masks, small non-zero biases, its result from
 * tinyRunFile.
 */
export function tinyTicket(round = 2): Ticket {
  const config = mergeConfig(TINY_CONFIG, {});
  const layers = config.model.layers;
  const theta0 = initialParams(layers, config.training.seed);
  const masks = tinyMasks(config, round);
  const ticket = tinyRound(config, round).variants[0]!;
  return {
    config,
    round,
    weights: { kind: 'init' },
    remaining: density(masks),
    remainingByLayer: masks.map((m) => m.density),
    result: {
      earlyStop: { ...ticket.earlyStop },
      finalTestAccuracy: ticket.finalTestAccuracy,
      curve: ticket.curve,
    },
    createdAt: CREATED,
    createdBy: 'lottery-ticket-lab 0.1 (test)',
    layers: masks.map((m, l) => ({
      inputs: layers[l]!,
      outputs: layers[l + 1]!,
      mask: m.bits.slice(),
      weights: theta0.weights[l]!.map((w, i) => (m.bits[i] ? w : 0)),
      biases: Float32Array.from({ length: layers[l + 1]! }, (_, j) => Math.fround((j - 2) / 64)),
    })),
  };
}

/** The message of the FormatError `f` throws; fails the test on anything else, or on no error. */
export function formatError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError && e.name === 'FormatError') return e.message;
    throw new Error(`expected a FormatError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a FormatError, but it decoded');
}

/**
 * TINY_CONFIG run with `trials` trials (tinyRounds, each trial's accuracies a point lower than the
 * trial before), whole, or only the trials of `shard`.
 */
export function tinyTrialsRunFile(trials: number, shard?: Shard, { global = false } = {}): RunFile {
  // Global pruning: each trial splits the same P_m differently between layers (here, by shifting
  // a hundredth of the first layer's share to the second in each later trial).
  const config = mergeConfig(TINY_CONFIG, {
    training: { trials },
    ...(global ? { pruning: { scope: 'global' } } : {}),
  });
  const split = (byLayer: number[], trial: number) =>
    global && byLayer[0]! < 1
      ? byLayer.map((x, l) => x + ((l === 0 ? -1 : l === 1 ? 1 : 0) * trial) / 100)
      : byLayer;
  const held = shard
    ? trialsOfShard(trials, shard.index, shard.count)
    : trialsOfShard(trials, 0, 1);
  const perTrial = held.map((trial) => ({
    trial,
    seed: trialSeed(config.training.seed, trial),
    rounds: tinyRounds().map((r) => ({
      ...r,
      remainingByLayer: split(r.remainingByLayer, trial),
      wallMs: r.wallMs + trial,
      variants: r.variants.map((v) => ({
        ...v,
        remainingByLayer: split(v.remainingByLayer, trial),
        finalTestAccuracy: v.finalTestAccuracy - trial / 100,
        earlyStop: { ...v.earlyStop, testAccuracy: v.earlyStop.testAccuracy - trial / 100 },
      })),
    })),
  }));
  return runFile({
    name: 'tiny trials',
    createdAt: CREATED,
    backend: 'cpu (node)',
    config,
    wallMs: 4000,
    rounds: assembleRounds(config, perTrial),
    shard: shard ?? null,
  });
}
