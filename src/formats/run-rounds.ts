/**
 * The rounds of a run file: per round, every trial's variants and the summary over trials
 * (version 2), or one trial's variants (version 1, read as trial 0). Read with paths, written in a
 * fixed field order; the early stop is flat among a variant's fields, as in every version.
 */
import { type ExperimentConfig, type VariantName, variantsOfRound } from '../engine/config';
import type { RoundResult, VariantResult } from '../engine/experiment';
import type { Histogram, LayerHistogram } from '../engine/metrics';
import { trialSeed } from '../engine/trial-seed';
import {
  type RunRound,
  type Summary,
  type TrialResult,
  assembleRounds,
  runRound,
} from '../engine/trials';
import { type Obj, Val, earlyStopFields, readCurve, readEarlyStop } from './check';
import { numberList } from './errors';

const MAX_BINS = 1000;

function readHistogram(v: Val, bins: number | null, maxCount: number): Histogram {
  const o = v.obj();
  const e = o.at('edges');
  const edges = e.nums(
    -Infinity,
    Infinity,
    bins === null ? 2 : bins + 1,
    bins === null ? MAX_BINS + 1 : bins + 1,
  );
  for (let i = 1; i < edges.length; i++)
    if (edges[i]! <= edges[i - 1]!)
      new Val(edges[i], `${e.path}[${i}]`).fail(`a number above ${edges[i - 1]} (edges ascend)`);
  return {
    edges,
    counts: o.at('counts').nums(0, maxCount, edges.length - 1, edges.length - 1, true),
  };
}

function readHistograms(v: Val, layers: readonly number[]): LayerHistogram[] {
  return v.arr(layers.length - 1, layers.length - 1).map((h, l) => {
    const o = h.obj();
    o.at('layer').oneOf([l]);
    const size = layers[l]! * layers[l + 1]!;
    const all = readHistogram(o.at('all'), null, size);
    return { layer: l, all, surviving: readHistogram(o.at('surviving'), all.counts.length, size) };
  });
}

function readVariant(o: Obj, name: VariantName, config: ExperimentConfig): VariantResult {
  const layers = config.model.layers;
  const { iterations } = config.training;
  o.at('variant').oneOf([name]);
  return {
    variant: name,
    remaining: o.at('remaining').num(0, 1),
    remainingByLayer: o.at('remainingByLayer').nums(0, 1, layers.length - 1, layers.length - 1),
    curve: readCurve(o.at('curve'), iterations),
    earlyStop: readEarlyStop(o, iterations),
    finalTestAccuracy: o.at('finalTestAccuracy').num(0, 1),
    histograms: readHistograms(o.at('histograms'), layers),
    pixelSurvivors: o.at('pixelSurvivors').nums(0, layers[1]!, layers[0]!, layers[0]!, true),
  };
}

function readVariants(v: Val, round: number, config: ExperimentConfig): VariantResult[] {
  const names = variantsOfRound(config, round);
  return v
    .arr(
      names.length,
      names.length,
      `a list of the ${names.length} variants of round ${round} (${names.join(', ')})`,
    )
    .map((x, i) => readVariant(x.obj(), names[i]!, config));
}

/** The round number at `v`, which must be `round` (rounds are listed one after another). */
function readRoundNumber(o: Obj, round: number, config: ExperimentConfig): void {
  const r = o.at('round');
  if (r.value !== round) r.fail(`${round} (rounds listed in order, one after another)`);
  if (round > config.pruning.rounds)
    r.fail(`at most ${config.pruning.rounds} (the config's last round)`);
}

/** The first round a file lists: 0, or an imported ticket's round. */
export function firstRound(v: Val, config: ExperimentConfig): number {
  return v.obj().at('round').int(0, config.pruning.rounds);
}

/** Version 1: one trial's round, the engine's RoundResult. */
export function readRoundV1(v: Val, round: number, config: ExperimentConfig): RunRound {
  const o = v.obj();
  readRoundNumber(o, round, config);
  const widths = config.model.layers.length - 1;
  const remaining = o.at('remaining').num(0, 1);
  const remainingByLayer = o.at('remainingByLayer').nums(0, 1, widths, widths);
  const variants = readVariants(o.at('variants'), round, config);
  const trial: TrialResult = {
    trial: 0,
    seed: config.training.seed,
    variants,
    wallMs: o.at('wallMs').num(0, Infinity),
    examplesPerSecond: o.at('examplesPerSecond').num(0, Infinity),
  };
  return runRound(config, round, [trial], remaining, remainingByLayer);
}

function readTrial(
  v: Val,
  round: number,
  config: ExperimentConfig,
  after: number,
  allowed: ReadonlySet<number>,
): TrialResult {
  const o = v.obj();
  const t = o.at('trial');
  const trial = t.int(0, config.training.trials - 1);
  if (trial <= after) t.fail(`a trial after ${after} (trials listed in order, each once)`);
  if (!allowed.has(trial)) t.fail(`one of this file's trials (${numberList([...allowed])})`);
  const s = o.at('seed');
  const seed = trialSeed(config.training.seed, trial);
  if (s.value !== seed)
    s.fail(`${seed}, the seed of trial ${trial} of seed ${config.training.seed}`);
  return {
    trial,
    seed,
    variants: readVariants(o.at('variants'), round, config),
    wallMs: o.at('wallMs').num(0, Infinity),
    examplesPerSecond: o.at('examplesPerSecond').num(0, Infinity),
  };
}

/**
 * The file's number agrees with the one computed from the trials: n, min and max exactly; mean and
 * sd to 1e-12 of their size, so a file whose summary another tool rewrote (numpy's std) still reads.
 */
function agrees(field: keyof Summary, got: unknown, want: number | null): boolean {
  if (want === null || got === null) return got === want;
  if (typeof got !== 'number') return false;
  if (field !== 'mean' && field !== 'sd') return got === want;
  return Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
}

/** Version 2: a round's trials, and its summary, which must be what its trials give. */
export function readRound(
  v: Val,
  round: number,
  config: ExperimentConfig,
  allowed: ReadonlySet<number>,
): RunRound {
  const o = v.obj();
  readRoundNumber(o, round, config);
  const widths = config.model.layers.length - 1;
  const remaining = o.at('remaining').num(0, 1);
  const remainingByLayer = o.at('remainingByLayer').nums(0, 1, widths, widths);
  let after = -1;
  const trials = o
    .at('trials')
    .arr(1, allowed.size, `a list of 1 to ${allowed.size} trials`)
    .map((x) => {
      const t = readTrial(x, round, config, after, allowed);
      after = t.trial;
      return t;
    });
  const result = runRound(config, round, trials, remaining, remainingByLayer);
  // The summary is written for other readers (a notebook, a spreadsheet): it must be its trials'.
  const summary = o.at('summary').arr(result.summary.length, result.summary.length);
  result.summary.forEach((want, i) => {
    const got = summary[i]!.obj();
    got.at('variant').oneOf([want.variant]);
    got.at('trials').oneOf([want.trials]);
    for (const key of STATS) {
      // Files written before issue 16 have no before-training summary: it is computed on reading.
      if (key === 'beforeTrainingTestAccuracy' && !got.has(key)) continue;
      const s = got.at(key).obj();
      for (const field of SUMMARY_FIELDS) {
        const x = s.at(field);
        if (!agrees(field, x.value, want[key][field]))
          x.fail(`${String(want[key][field])}, as computed from the round's trials`);
      }
    }
  });
  return result;
}

const STATS = [
  'earlyStopIteration',
  'earlyStopTestAccuracy',
  'finalTestAccuracy',
  'beforeTrainingTestAccuracy',
  'iterationsToThreshold',
] as const;
const SUMMARY_FIELDS: readonly (keyof Summary)[] = ['n', 'mean', 'sd', 'min', 'max'];

function variantJson({ earlyStop, ...v }: VariantResult) {
  return {
    variant: v.variant,
    remaining: v.remaining,
    remainingByLayer: v.remainingByLayer,
    curve: v.curve,
    ...earlyStopFields(earlyStop),
    finalTestAccuracy: v.finalTestAccuracy,
    histograms: v.histograms,
    pixelSurvivors: v.pixelSurvivors,
  };
}

/** A round as version 2 writes it. */
export function roundJson(r: RunRound) {
  return {
    round: r.round,
    remaining: r.remaining,
    remainingByLayer: r.remainingByLayer,
    trials: r.trials.map((t) => ({
      trial: t.trial,
      seed: t.seed,
      wallMs: t.wallMs,
      examplesPerSecond: t.examplesPerSecond,
      variants: t.variants.map(variantJson),
    })),
    summary: r.summary,
  };
}

/** One trial's rounds (e.g. the lab's one-seed run) as a run's rounds. */
export function roundsOfOneTrial(
  config: ExperimentConfig,
  rounds: readonly RoundResult[],
  trial = 0,
): RunRound[] {
  return assembleRounds(config, [{ trial, seed: trialSeed(config.training.seed, trial), rounds }]);
}
