/**
 * A run's trials round by round (issue 14), as the lab trains them: round r of every trial, then
 * round r + 1, so a page sees each round's spread over seeds as soon as the round ends, and a
 * run stored after each round holds whole rounds of every trial. Trials share one compute session
 * and train in lockstep groups where the compute takes a batch per variant (lockstep.ts), one by
 * one elsewhere; either way each trial's results are bit for bit those it reaches alone.
 */
import type { Compute, ComputeSession } from './compute';
import type { ExperimentConfig } from './config';
import type { Dataset } from './data';
import {
  type Continuation,
  DEFAULT_EVAL_CHUNK,
  Experiment,
  type RoundResult,
  type TrainedRound,
} from './experiment';
import { type TrialsObserver, lockstepGroups, lockstepRound, noLockstep } from './lockstep';

export interface TrialSetOptions {
  compute: Compute;
  now?: () => number;
  evalChunk?: number;
  /** Per trial, in trial order: where it continues from (all at the same round), or nothing. */
  continueFrom?: readonly (Continuation | undefined)[];
}

export class TrialSet {
  /** One experiment per trial, in trial order. */
  readonly experiments: Experiment[];
  /** Why trials train one by one here, or null where they train in lockstep groups. */
  readonly oneByOne: string | null;
  private readonly session: ComputeSession;
  private readonly groups: Experiment[][];
  /** Every trial's state when the round in flight began: where a failed round starts again. */
  private started: (Continuation | null)[] | null = null;
  private disposed = false;

  constructor(
    readonly config: ExperimentConfig,
    data: Dataset,
    options: TrialSetOptions,
  ) {
    const { trials } = config.training;
    const from = options.continueFrom ?? [];
    // All or none: a trial left out would start at round 0 beside the others at round k.
    if (from.length !== 0 && from.length !== trials)
      throw new RangeError(`${from.length} trials to continue, but the run has ${trials}`);
    const rounds = new Set(from.map((c) => c?.nextRound ?? 0));
    if (rounds.size > 1)
      throw new RangeError(`the trials to continue are at different rounds (${[...rounds]})`);
    this.session = options.compute.open(data, config.model.layers, {
      batchSize: config.training.batchSize,
      evalChunk: options.evalChunk ?? DEFAULT_EVAL_CHUNK,
    });
    const experiments: Experiment[] = [];
    try {
      for (let trial = 0; trial < trials; trial++) {
        const continueFrom = from[trial];
        experiments.push(
          new Experiment(config, data, {
            trial,
            session: this.session,
            ...(options.now ? { now: options.now } : {}),
            ...(continueFrom ? { continueFrom } : {}),
          }),
        );
      }
    } catch (e) {
      for (const x of experiments) x.dispose();
      this.session.dispose();
      throw e;
    }
    this.experiments = experiments;
    this.oneByOne = trials > 1 ? noLockstep(config, options.compute) : 'one trial';
    this.groups =
      this.oneByOne === null
        ? lockstepGroups(
            config,
            experiments.map((e) => e.trial),
          ).map((g) => g.map((t) => experiments[t]!))
        : experiments.map((e) => [e]);
  }

  /** The round `runRound` trains next (every trial is at it). */
  get round(): number {
    return this.experiments[0]!.round;
  }

  get done(): boolean {
    return this.experiments[0]!.done;
  }

  /** Trains the next round of every trial; each trial's result, in trial order. */
  async runRound(observer: TrialsObserver = {}): Promise<RoundResult[]> {
    if (this.disposed) throw new Error('trials disposed');
    this.started = this.continuations();
    const round = this.round;
    const results: RoundResult[] = [];
    for (const group of this.groups) {
      if (group.length > 1) {
        results.push(...(await lockstepRound(this.config, this.session, group, observer)));
        continue;
      }
      const e = group[0]!;
      if (e.round !== round) throw new Error(`trial ${e.trial} is not at round ${round}`);
      results.push(
        await e.runRound({
          roundStarted: (r) => observer.roundStarted?.(e.trial, r),
          curvePoint: (round, variant, point) =>
            observer.curvePoint?.(e.trial, round, variant, point),
          progress: (round, iteration, iterations) =>
            observer.progress?.(round, iteration, iterations, e.trial),
          checkpoint: () => observer.checkpoint?.(),
          ...(observer.variantsTrained
            ? { variantsTrained: (t: TrainedRound) => observer.variantsTrained?.(e.trial, t) }
            : {}),
          roundCompleted: (r) => observer.roundCompleted?.(e.trial, r, e),
        }),
      );
    }
    return results;
  }

  /**
   * Where the round in flight (or the last one run) began, for every trial, in trial order: a
   * round that fails part-way, some trials finished and others not, trains again from here.
   */
  roundStart(): (Continuation | null)[] {
    return this.started ?? this.continuations();
  }

  /** What each trial continues from, in trial order (null once done), with its θ0. */
  continuations(): (Continuation | null)[] {
    return this.experiments.map((e) => {
      const c = e.continuation();
      return c && { ...c, theta0: e.theta0 };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.experiments) e.dispose();
    this.session.dispose();
  }
}
