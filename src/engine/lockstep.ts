/**
 * Trials in lockstep (issue 14): the trials of a run trained round by round in one trainer, K =
 * variants × trials, each variant on its own trial's data order, so several trials cost one pass
 * of the loop and the kernels' calls instead of one each. Each trial is an Experiment of its own
 * (its θ0, masks, continuation) sharing one compute session; every trial's results are bit for
 * bit those it reaches alone (lockstep.test.ts). Only computes whose trainers take a batch per
 * variant can do this (Compute.ownBatches: the lab's kernels); elsewhere trials run one by one.
 */
import type { Compute, ComputeSession } from './compute';
import { type ExperimentConfig, type VariantName, variantsOfRound } from './config';
import type { Dataset } from './data';
import {
  DEFAULT_EVAL_CHUNK,
  Experiment,
  type RoundResult,
  type RoundStart,
  type TrainedRound,
} from './experiment';
import type { Params } from './init';
import type { CurvePoint } from './metrics';
import { trainRound } from './round-training';

/** Most variants one trainer holds, whatever their size. */
export const MAX_LOCKSTEP_VARIANTS = 24;
/**
 * What one trainer's variants may take of the kernels' memory (1 GiB at most with threads): a
 * dense variant takes 16 bytes a padded weight (weights, Adam's m and v, mask), LeNet-300-100
 * about 4.4 MB, so 24 of them about 105 MB.
 */
export const LOCKSTEP_BUDGET_BYTES = 384 * 1024 * 1024;
/** Most work units one kernel call may split among threads (the pool's limit). */
const MAX_UNITS = 65_535;

const pad16 = (w: number) => Math.ceil(w / 16) * 16;

/** How trials in lockstep report: as an Experiment's Observer, with each event's trial. */
export interface TrialsObserver {
  roundStarted?(trial: number, r: RoundStart): void;
  curvePoint?(trial: number, round: number, variant: VariantName, point: CurvePoint): void;
  /**
   * Called after every training step: trials `trial` … `trial + together − 1` stepped (together
   * is 1, or absent, where one trial trains alone; absent `trial`: not said).
   */
  progress?(
    round: number,
    iteration: number,
    iterations: number,
    trial?: number,
    together?: number,
  ): void;
  checkpoint?(): void | Promise<void>;
  /** A trial's round as it ended, weights included (Observer.variantsTrained). */
  variantsTrained?(trial: number, trained: TrainedRound): void;
  roundCompleted?(trial: number, r: RoundResult, experiment: Experiment): void;
}

/** Why `config`'s trials cannot train in lockstep on `compute`, or null if they can. */
export function noLockstep(config: ExperimentConfig, compute: Compute): string | null {
  if (!compute.ownBatches) return `${compute.name} trains every variant on one batch`;
  if (config.pruning.scope !== 'layer')
    return "global pruning splits each trial's weights between layers its own way";
  return null;
}

/**
 * The trials `trials` in groups small enough for one trainer each, in order: at most 24 variants,
 * within LOCKSTEP_BUDGET_BYTES of dense weights, and within the pool's units a call (a layer's
 * padded width times the variants). A model too large for two trials trains them one by one.
 */
export function lockstepGroups(config: ExperimentConfig, trials: readonly number[]): number[][] {
  const variants = variantsOfRound(config, 1).length;
  const widths = config.model.layers.map(pad16);
  const bytes = widths.slice(1).reduce((sum, out, l) => sum + 16 * widths[l]! * out, 0);
  const most = Math.min(
    MAX_LOCKSTEP_VARIANTS,
    Math.floor(LOCKSTEP_BUDGET_BYTES / bytes),
    Math.floor(MAX_UNITS / Math.max(...widths)),
  );
  const size = Math.max(1, Math.floor(most / variants));
  const groups: number[][] = [];
  for (let i = 0; i < trials.length; i += size) groups.push(trials.slice(i, i + size));
  return groups;
}

/**
 * The next round of `experiments` (trials of one config, at the same round, sharing `session`)
 * in one trainer: K = variants × trials, each variant on its own trial's batches. Each trial's
 * result, in the order given.
 */
export async function lockstepRound(
  config: ExperimentConfig,
  session: ComputeSession,
  experiments: readonly Experiment[],
  observer: TrialsObserver = {},
): Promise<RoundResult[]> {
  const prepared = experiments.map((e) =>
    e.prepareRound({ roundStarted: (r) => observer.roundStarted?.(e.trial, r) }),
  );
  const { plan: first, started } = prepared[0]!;
  for (const p of prepared)
    if (
      p.plan.round !== first.round ||
      p.plan.first !== first.first ||
      p.plan.rewindAt !== first.rewindAt ||
      p.plan.names.join() !== first.names.join()
    )
      throw new Error(`trials out of step in round ${first.round}`);
  // One clock for the group: each trial's round took what the group's took, and its examples/s
  // is its share of the group's.
  for (const p of prepared) p.started = started;
  const width = first.names.length;
  const trainer = session.trainer(width * experiments.length, { ownBatches: true });
  try {
    trainer.load(prepared.flatMap((p) => p.starts));
    // Variant v belongs to trial ⌊v / width⌋ and trains on that trial's batches.
    const batchAt = (i: number) => {
      const own = experiments.map((e) => e.batchOf(i));
      return Array.from({ length: width * own.length }, (_, v) => own[Math.floor(v / width)]!);
    };
    const plan = { ...first, names: prepared.flatMap((p) => p.plan.names) };
    const curves = await trainRound(
      trainer,
      batchAt,
      config.training,
      plan,
      {
        curvePoint: (round, variant, point, slot) =>
          observer.curvePoint?.(
            experiments[Math.floor(slot / width)]!.trial,
            round,
            variant,
            point,
          ),
        progress: (round, iteration, iterations) =>
          observer.progress?.(
            round,
            iteration,
            iterations,
            experiments[0]!.trial,
            experiments.length,
          ),
        checkpoint: observer.checkpoint,
      },
      async () => {
        for (const [t, e] of experiments.entries())
          e.keepRewind(await trainer.readParams(t * width));
      },
    );
    const results: RoundResult[] = [];
    for (const [t, e] of experiments.entries()) {
      const params: Params[] = [];
      const keep = observer.variantsTrained;
      for (let v = 0; v < (keep ? width : 1); v++)
        params.push(await trainer.readParams(t * width + v));
      results.push(
        e.finishRound(prepared[t]!, curves.slice(t * width, (t + 1) * width), params, {
          ...(keep ? { variantsTrained: (trained: TrainedRound) => keep(e.trial, trained) } : {}),
          roundCompleted: (r) => observer.roundCompleted?.(e.trial, r, e),
        }),
      );
    }
    return results;
  } finally {
    trainer.dispose();
  }
}

export class TrialsInLockstep {
  readonly experiments: Experiment[];
  private readonly session: ComputeSession;
  private disposed = false;

  constructor(
    readonly config: ExperimentConfig,
    data: Dataset,
    readonly trials: readonly number[],
    options: { compute: Compute; now?: () => number; evalChunk?: number },
  ) {
    const why = noLockstep(config, options.compute);
    if (why) throw new RangeError(`no lockstep: ${why}`);
    if (trials.length === 0) throw new RangeError('no trials to train');
    this.session = options.compute.open(data, config.model.layers, {
      batchSize: config.training.batchSize,
      evalChunk: options.evalChunk ?? DEFAULT_EVAL_CHUNK,
    });
    const experiments: Experiment[] = [];
    try {
      for (const trial of trials)
        experiments.push(
          new Experiment(config, data, { trial, session: this.session, now: options.now }),
        );
    } catch (e) {
      this.session.dispose();
      throw e;
    }
    this.experiments = experiments;
  }

  get done(): boolean {
    return this.experiments[0]!.done;
  }

  /** Trains the next round of every trial in one trainer; returns each trial's result. */
  async runRound(observer: TrialsObserver = {}): Promise<RoundResult[]> {
    if (this.disposed) throw new Error('trials disposed');
    return lockstepRound(this.config, this.session, this.experiments, observer);
  }

  /** Every remaining round; each trial's rounds, in the order of `trials`. */
  async run(
    observer: TrialsObserver = {},
  ): Promise<{ trial: number; seed: number; rounds: RoundResult[] }[]> {
    while (!this.done) await this.runRound(observer);
    return this.experiments.map((e) => ({ trial: e.trial, seed: e.seed, rounds: [...e.results] }));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.experiments) e.dispose();
    this.session.dispose();
  }
}
