/**
 * Trials: independent seeds of one experiment, as a first-class dimension of its results (issue
 * 14). Each trial is a full IMP trajectory (its own θ0, data order, controls and masks; see
 * trial-seed.ts). A run's round holds every trial's result and a summary over trials per variant:
 * n, mean, sample sd, min and max of the numbers the paper compares.
 *
 * Shards split a run's trials between machines by a fixed rule (`trialsOfShard`), and a round
 * assembled from any split of the trials is the same, bit for bit, as the unsplit run's: trials are
 * kept in trial order and summaries are computed from them in that order.
 */
import type { ExperimentConfig, VariantName } from './config';
import { variantsOfRound } from './config';
import type { RoundResult, VariantResult } from './experiment';
import type { CurvePoint } from './metrics';

/**
 * The validation accuracy whose first crossing `iterationsToThreshold` reports: 95%, which a
 * LeNet-300-100 ticket passes within a few hundred iterations and a weak control may never reach.
 */
export const ACCURACY_THRESHOLD = 0.95;

/** One trial's round: its seed and what each variant of that trial reached. */
export interface TrialResult {
  trial: number;
  /** The seed this trial drew from (`trialSeed(config.training.seed, trial)`). */
  seed: number;
  variants: VariantResult[];
  /** Wall time of this trial's round, and its training examples per second over variants. */
  wallMs: number;
  examplesPerSecond: number;
}

/** Numbers over trials; `n` counts the trials that have the number (see iterationsToThreshold). */
export interface Summary {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below two trials. */
  sd: number | null;
  min: number | null;
  max: number | null;
}

/** One variant of a round, over its trials. */
export interface VariantSummary {
  variant: VariantName;
  /** Trials summarized. */
  trials: number;
  earlyStopIteration: Summary;
  earlyStopTestAccuracy: Summary;
  finalTestAccuracy: Summary;
  /**
   * Test accuracy at the round's first evaluation, before any training step: θ0 under the mask
   * (Zhou et al. 2019's "supermask" accuracy for the ticket; the rewind point's, rewound).
   */
  beforeTrainingTestAccuracy: Summary;
  /** First evaluated iteration at ACCURACY_THRESHOLD validation accuracy; n: trials that got there. */
  iterationsToThreshold: Summary;
}

/** A round of a run: every trial it holds, in trial order, and the summary over them. */
export interface RunRound {
  round: number;
  /** P_m, the same in every trial: each round prunes to exact counts. */
  remaining: number;
  /**
   * Per layer: the same in every trial of a layer-wise run; under global pruning each trial's own
   * split is in its variants, and this is the first trial's.
   */
  remainingByLayer: number[];
  trials: TrialResult[];
  summary: VariantSummary[];
}

/** n, mean, sample sd, min and max of the numbers given, skipping nulls. */
export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((v): v is number => v !== null);
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, min: null, max: null };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return {
    n,
    mean,
    sd: n < 2 ? null : Math.sqrt(squares / (n - 1)),
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}

/** The first evaluated iteration at `threshold` validation accuracy, or null if none reached it. */
export function iterationsToThreshold(
  curve: readonly CurvePoint[],
  threshold = ACCURACY_THRESHOLD,
): number | null {
  return curve.find((p) => p.validationAccuracy >= threshold)?.iteration ?? null;
}

/** Each variant of `round` summarized over `trials`. */
export function summarizeRound(
  config: ExperimentConfig,
  round: number,
  trials: readonly TrialResult[],
): VariantSummary[] {
  return variantsOfRound(config, round).map((variant) => {
    const results = trials.map((t) => {
      const v = t.variants.find((x) => x.variant === variant);
      if (!v) throw new Error(`trial ${t.trial} has no ${variant} in round ${round}`);
      return v;
    });
    return {
      variant,
      trials: results.length,
      earlyStopIteration: summarize(results.map((v) => v.earlyStop.iteration)),
      earlyStopTestAccuracy: summarize(results.map((v) => v.earlyStop.testAccuracy)),
      finalTestAccuracy: summarize(results.map((v) => v.finalTestAccuracy)),
      beforeTrainingTestAccuracy: summarize(results.map((v) => v.curve[0]!.testAccuracy)),
      iterationsToThreshold: summarize(results.map((v) => iterationsToThreshold(v.curve))),
    };
  });
}

/** Trial `trial`'s result of a round the engine ran. */
export function trialResult(r: RoundResult, trial: number, seed: number): TrialResult {
  return {
    trial,
    seed,
    variants: r.variants,
    wallMs: r.wallMs,
    examplesPerSecond: r.examplesPerSecond,
  };
}

/**
 * A round from its trials' results (any order; kept in trial order). Throws if they disagree on
 * the round or P_m, or repeat a trial.
 */
export function runRound(
  config: ExperimentConfig,
  round: number,
  trials: readonly TrialResult[],
  remaining: number,
  remainingByLayer: readonly number[],
): RunRound {
  const sorted = [...trials].sort((a, b) => a.trial - b.trial);
  sorted.forEach((t, i) => {
    if (i > 0 && sorted[i - 1]!.trial === t.trial)
      throw new Error(`trial ${t.trial} appears twice in round ${round}`);
  });
  return {
    round,
    remaining,
    remainingByLayer: [...remainingByLayer],
    trials: sorted,
    summary: summarizeRound(config, round, sorted),
  };
}

/**
 * A run's rounds from each trial's rounds as the engine returned them. Every trial must hold the
 * same rounds; trials are listed in trial order whatever order they come in.
 */
export function assembleRounds(
  config: ExperimentConfig,
  perTrial: readonly { trial: number; seed: number; rounds: readonly RoundResult[] }[],
): RunRound[] {
  const sorted = [...perTrial].sort((a, b) => a.trial - b.trial);
  const first = sorted[0];
  if (!first) return [];
  for (const t of sorted)
    if (t.rounds.length !== first.rounds.length)
      throw new Error(
        `trial ${t.trial} holds ${t.rounds.length} rounds, trial ${first.trial} ${first.rounds.length}`,
      );
  return first.rounds.map((r0, i) => {
    const results = sorted.map(({ trial, seed, rounds }) => {
      const r = rounds[i];
      if (!r || r.round !== r0.round)
        throw new Error(`trial ${trial} has no round ${r0.round} (it holds ${rounds.length})`);
      if (r.remaining !== r0.remaining)
        throw new Error(
          `trial ${trial} kept ${r.remaining} of the weights in round ${r.round}, trial ${first.trial} ${r0.remaining}`,
        );
      return trialResult(r, trial, seed);
    });
    return runRound(config, r0.round, results, r0.remaining, r0.remainingByLayer);
  });
}

/** A trial's own P_m per layer: its ticket's (the controls keep the ticket's counts). */
export function byLayerOf(t: TrialResult): number[] {
  const ticket = t.variants.find((v) => v.variant === 'ticket');
  if (!ticket) throw new Error(`trial ${t.trial} has no ticket`);
  return ticket.remainingByLayer;
}

/** One trial's rounds as the engine's results: what a one-seed view, or a ticket, reads. */
export function roundsOfTrial(rounds: readonly RunRound[], trial: number): RoundResult[] {
  return rounds.flatMap((r) => {
    const t = r.trials.find((x) => x.trial === trial);
    if (!t) return [];
    const { variants, wallMs, examplesPerSecond } = t;
    return [
      {
        round: r.round,
        remaining: r.remaining,
        remainingByLayer: [...byLayerOf(t)],
        variants,
        wallMs,
        examplesPerSecond,
      },
    ];
  });
}

/**
 * The trials shard `index` of `count` runs: trial t belongs to shard t mod count. The rule is the
 * file format's (docs/trials-and-sweeps.md): every shard knows its trials from its index alone,
 * and shards differ in size by at most one trial.
 */
export function trialsOfShard(trials: number, index: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a shard count of ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`shard ${index} of ${count}`);
  const out: number[] = [];
  for (let t = index; t < trials; t += count) out.push(t);
  return out;
}
