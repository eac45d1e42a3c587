/**
 * An experiment: round 0 trains the dense network from θ0; each later round prunes, resets the
 * survivors (to θ0, or rewinds them to iteration k of round 0) and trains the ticket, with the
 * controls in lockstep on the same mini-batches (paper §2, "identifying winning tickets").
 */
import type { Compute, ComputeSession } from './compute';
import { type ExperimentConfig, type VariantName, validateConfig, variantsOfRound } from './config';
import { BatchOrder, type Dataset } from './data';
import {
  type Params,
  type VariantStart,
  bimodalStart,
  controlStart,
  initialParams,
  ticketStart,
} from './init';
import { Mask, assertShrinks, remainingFraction } from './mask';
import { type CurvePoint, findEarlyStop, layerHistograms, pixelSurvivors } from './metrics';
import { pruneByCriterion } from './criteria';
import { PRUNERS, pruneOneShot } from './prune';
import { Rng } from './rng';
import type { ExperimentResult, RoundResult, RoundStart, VariantResult } from './results';
import { type RoundObserver, type RoundPlan, trainRound } from './round-training';
import { DEFAULT_EVAL_CHUNK, tfCompute } from './tf-compute';
import { trialSeed } from './trial-seed';

export { DEFAULT_EVAL_CHUNK };

// What an experiment produces, in a file of their own (results.ts); imported from here too.
export type { ExperimentResult, RoundResult, RoundStart, VariantResult };

/** A round readied to train (`prepareRound`), and what finishing it needs. */
export interface PreparedRound {
  plan: RoundPlan;
  /** The variants' starting points, in the plan's order. */
  starts: VariantStart[];
  /** The ticket's masks this round. */
  masks: Mask[];
  /** When it was prepared, for its wall time. */
  started: number;
}

/**
 * What a run needs to continue at `nextRound` exactly as if it had never stopped (issue 4): the
 * same seed gives the same θ0, data order and control draws, so only what training produced
 * must be kept. Also how a ticket imported from a file is trained: its round, its masks, its
 * weights. ("Continue" is this; "resume" only ever means to unpause a live run.)
 */
export interface Continuation {
  nextRound: number;
  /**
   * The ticket's masks for `nextRound`, one 0/1 entry per weight (pruned when the round before
   * ended).
   */
  masks: Uint8Array[];
  /** Where survivors are rewound to, for runs that rewind to iteration k (null otherwise). */
  rewindTo: Params | null;
  /** The dense round's trained weights: one-shot pruning prunes every later round from them. */
  denseTrained: Float32Array[] | null;
  /** θ0, where it does not come from the seed (a ticket's survivors written over the seed's θ0). */
  theta0?: Params;
}

/** How an experiment talks to whoever runs it (the worker, the CLI, a test). */
export interface Observer extends RoundObserver {
  roundStarted?(r: RoundStart): void;
  /**
   * A round's variants as they ended it: each one's starting point (masks, starting values) and
   * trained weights, in the round's variant order, before `roundCompleted`. For whoever keeps
   * weights (the lab's supermask slider and drawing pad); the result itself holds none.
   */
  variantsTrained?(trained: TrainedRound): void;
  roundCompleted?(r: RoundResult): void;
}

/** A round's variants at its end (Observer.variantsTrained). */
export interface TrainedRound {
  round: number;
  variants: readonly VariantName[];
  starts: readonly VariantStart[];
  params: readonly Params[];
}

export interface ExperimentOptions {
  /** The clock for wall times (tests pass a fixed one). */
  now?: () => number;
  /** Where the arithmetic runs; tfjs on its current backend by default. */
  compute?: Compute;
  /** Held-out examples per forward pass, for computes that chunk them (tfjs). */
  evalChunk?: number;
  /** Continue from a continuation (a stored run, or an imported ticket) instead of round 0. */
  continueFrom?: Continuation;
  /**
   * Which of the config's trials this experiment runs (0 by default): its θ0, data order and
   * controls come from `trialSeed(config.training.seed, trial)`.
   */
  trial?: number;
  /**
   * A session to train in, shared with other trials (lockstep.ts), instead of one of its own
   * opened on `compute`; whoever opened it disposes it.
   */
  session?: ComputeSession;
}

export class Experiment {
  readonly config: ExperimentConfig;
  /** The trial this experiment runs, and the seed of its θ0, data order and controls. */
  readonly trial: number;
  readonly seed: number;
  readonly theta0: Params;
  readonly results: RoundResult[] = [];
  /** The ticket's masks of the last round run, and of the round to run next. */
  private masks: Mask[];
  private nextMasks: Mask[];
  private denseTrained: Float32Array[] | null = null;
  private rewindTo: Params | null = null;
  private readonly order: BatchOrder;
  private readonly data: Dataset;
  private readonly session: ComputeSession;
  private readonly ownsSession: boolean;
  private readonly now: () => number;
  private nextRound = 0;
  private disposed = false;

  constructor(config: ExperimentConfig, data: Dataset, options: ExperimentOptions = {}) {
    this.config = validateConfig(config);
    this.now = options.now ?? Date.now;
    const { continueFrom, trial = 0 } = options;
    if (!Number.isInteger(trial) || trial < 0 || trial >= config.training.trials)
      throw new RangeError(
        `trial ${trial} is not one of this run's ${config.training.trials} trials (0–${config.training.trials - 1})`,
      );
    this.trial = trial;
    this.seed = trialSeed(config.training.seed, trial);
    const layers = config.model.layers;
    this.theta0 = continueFrom?.theta0 ?? initialParams(layers, this.seed);
    this.masks = this.theta0.weights.map((w) => Mask.ones(w.length));
    this.nextMasks = this.masks;
    if (continueFrom && continueFrom.nextRound > 0) this.restore(continueFrom);
    this.data = data;
    this.order = new BatchOrder(data.train.size, config.training.batchSize, this.seed);
    this.ownsSession = !options.session;
    this.session =
      options.session ??
      (options.compute ?? tfCompute).open(data, layers, {
        batchSize: config.training.batchSize,
        evalChunk: options.evalChunk ?? DEFAULT_EVAL_CHUNK,
      });
  }

  /** The round `runRound` will run next; `done` once every round has run. */
  get round(): number {
    return this.nextRound;
  }

  get done(): boolean {
    return this.nextRound > this.config.pruning.rounds;
  }

  /**
   * Where a rewinding run resets survivors to (known once round 0 reached iteration k); else null.
   */
  get rewindWeights(): Params | null {
    return this.rewindTo;
  }

  /** The ticket's current masks (after the last pruning). */
  get ticketMasks(): readonly Mask[] {
    return this.masks;
  }

  /** Continues where `continuation()` left off; checked, since the state may come from storage. */
  private restore(r: Continuation): void {
    const { pruning, model } = this.config;
    const sizes = this.theta0.weights.map((w) => w.length);
    const problems: string[] = [];
    if (!Number.isInteger(r.nextRound) || r.nextRound > pruning.rounds)
      problems.push(`round ${r.nextRound} is not a round of this run (0–${pruning.rounds})`);
    if (r.masks.length !== sizes.length || r.masks.some((m, l) => m.length !== sizes[l]))
      problems.push(`the masks do not fit ${model.layers.join('-')}`);
    if (pruning.reset.kind === 'rewind' && !r.rewindTo)
      problems.push('a rewinding run needs the weights it rewinds to');
    if (pruning.method === 'oneShot' && r.nextRound < pruning.rounds && !r.denseTrained)
      problems.push("one-shot pruning needs the dense round's trained weights");
    if (problems.length) throw new Error(`cannot continue: ${problems.join('; ')}`);
    this.nextRound = r.nextRound;
    this.nextMasks = r.masks.map((m) => new Mask(m.slice()));
    this.rewindTo = r.rewindTo;
    this.denseTrained = r.denseTrained;
  }

  /**
   * What `new Experiment(config, data, { continueFrom })` needs to go on from here; null once done.
   */
  continuation(): Continuation | null {
    if (this.done) return null;
    const oneShot = this.config.pruning.method === 'oneShot';
    return {
      nextRound: this.nextRound,
      masks: this.nextMasks.map((m) => m.bits.slice()),
      rewindTo: this.rewindTo,
      denseTrained: oneShot ? this.denseTrained : null,
    };
  }

  /** Runs every remaining round. */
  async run(observer: Observer = {}): Promise<ExperimentResult> {
    const start = this.now();
    while (!this.done) await this.runRound(observer);
    return { config: this.config, rounds: [...this.results], wallMs: this.now() - start };
  }

  /**
   * The masks of round r > 0, pruned from round r − 1's trained ticket (or, one-shot, from the
   * dense net), by the config's criterion (criteria.ts; magnitude: the paper's pruners).
   */
  private pruneFor(round: number, trained: Float32Array[], masks: Mask[]): Mask[] {
    const { config } = this;
    const oneShot = config.pruning.method === 'oneShot';
    let next: Mask[];
    if (config.pruning.criterion === 'magnitude')
      next = oneShot
        ? pruneOneShot(config, this.denseTrained!, round)
        : PRUNERS[config.pruning.scope](config, trained, masks);
    else
      next = pruneByCriterion(
        config,
        {
          layers: config.model.layers,
          trained: oneShot ? this.denseTrained! : trained,
          start: config.pruning.reset.kind === 'rewind' ? this.rewindTo! : this.theta0,
          masks: oneShot ? masks.map((m) => Mask.ones(m.size)) : masks,
          data: this.data,
          batch: this.order.indices(0).slice(),
        },
        round,
      );
    if (!oneShot) assertShrinks(next, masks);
    return next;
  }

  /** The training examples of iteration `i` in this trial's seeded order. */
  batchOf(iteration: number): Uint32Array {
    return this.order.indices(iteration);
  }

  /**
   * Readies round `this.round` to train: its masks, its variants' starting points, its plan; and
   * tells the observer it starts. `runRound` trains it; trials in lockstep share one trainer.
   */
  prepareRound(observer: Observer = {}): PreparedRound {
    if (this.disposed) throw new Error('experiment disposed');
    if (this.done) throw new Error('every round has already run');
    const round = this.nextRound;
    const { config } = this;
    const layers = config.model.layers;
    const started = this.now();
    const masks = this.nextMasks;
    const source =
      config.pruning.reset.kind === 'rewind' && round > 0 ? this.rewindTo! : this.theta0;
    const names = variantsOfRound(config, round);
    const starts: VariantStart[] = names.map((name) => {
      if (name === 'ticket') return ticketStart(source, masks);
      const rng = new Rng(this.seed, 'control', name, round);
      return name === 'bimodal' || name === 'bimodal-glorot'
        ? bimodalStart(name, layers, source, masks, rng)
        : controlStart(name, layers, source, masks, rng);
    });
    observer.roundStarted?.({
      round,
      variants: names,
      remaining: remainingFraction(masks),
      remainingByLayer: masks.map((m) => m.density),
    });
    const { pruning } = config;
    const rewindAt = round === 0 && pruning.reset.kind === 'rewind' ? pruning.reset.iteration : -1;
    if (rewindAt === 0) this.rewindTo = this.theta0;
    const plan = { round, names, first: this.firstIteration(round), rewindAt };
    return { plan, starts, masks, started };
  }

  /** Keeps the weights a rewinding run resets survivors to (its ticket's, at iteration k). */
  keepRewind(weights: Params): void {
    this.rewindTo = weights;
  }

  /**
   * Completes a prepared round from its variants' curves and the ticket's trained weights: its
   * result, and the next round's masks.
   */
  finishRound(
    prepared: PreparedRound,
    curves: readonly CurvePoint[][],
    params: readonly Params[],
    observer: Observer = {},
  ): RoundResult {
    const { config } = this;
    const { plan, starts, masks, started } = prepared;
    const { round, names } = plan;
    if (round !== this.nextRound) throw new Error(`round ${round} is not the round to finish`);
    // The ticket's trained weights prune the next round; every variant's only for an observer
    // that keeps them (reading K variants back costs a transfer each on a GPU).
    if (params.length !== (observer.variantsTrained ? names.length : 1))
      throw new Error(`round ${round}: ${params.length} trained variants read back`);
    const trained = params[0]!.weights;
    const result: RoundResult = {
      round,
      remaining: remainingFraction(masks),
      remainingByLayer: masks.map((m) => m.density),
      variants: names.map((variant, i) => this.variantResult(variant, starts[i]!, curves[i]!)),
      wallMs: this.now() - started,
      examplesPerSecond: 0,
    };
    const steps = config.training.iterations - plan.first;
    result.examplesPerSecond =
      (names.length * steps * config.training.batchSize) / Math.max(1e-3, result.wallMs / 1000);
    if (round === 0) this.denseTrained = trained;
    this.masks = masks;
    // The next round's masks now, so a continuation taken when this round completes can continue.
    if (round < config.pruning.rounds) this.nextMasks = this.pruneFor(round + 1, trained, masks);
    this.results.push(result);
    this.nextRound = round + 1;
    observer.variantsTrained?.({ round, variants: names, starts, params });
    observer.roundCompleted?.(result);
    return result;
  }

  /** Trains round `this.round` and returns its result. */
  async runRound(observer: Observer = {}): Promise<RoundResult> {
    const prepared = this.prepareRound(observer);
    const trainer = this.session.trainer(prepared.plan.names.length);
    try {
      trainer.load(prepared.starts);
      const curves = await trainRound(
        trainer,
        (i) => this.order.indices(i),
        this.config.training,
        prepared.plan,
        observer,
        async () => this.keepRewind(await trainer.readParams(0)),
      );
      const params: Params[] = [];
      const wanted = observer.variantsTrained ? prepared.plan.names.length : 1;
      for (let v = 0; v < wanted; v++) params.push(await trainer.readParams(v));
      return this.finishRound(prepared, curves, params, observer);
    } finally {
      trainer.dispose();
    }
  }

  private variantResult(
    variant: VariantName,
    start: VariantStart,
    curve: CurvePoint[],
  ): VariantResult {
    const layers = this.config.model.layers;
    return {
      variant,
      remaining: remainingFraction(start.masks),
      remainingByLayer: start.masks.map((m) => m.density),
      curve,
      earlyStop: findEarlyStop(curve),
      finalTestAccuracy: curve[curve.length - 1]!.testAccuracy,
      // Figure 3: the values each variant's surviving connections started from (the ticket's are
      // θ0's; reinit's a fresh draw; rearrange's the ticket's values elsewhere), over θ0.
      histograms: layerHistograms(layers, this.theta0.weights, start.params.weights, start.masks),
      pixelSurvivors: Array.from(pixelSurvivors(start.masks[0]!, layers[1]!)),
    };
  }

  /**
   * Where a round's training starts: 0, or k for a round rewound to iteration k, which picks up
   * the dense run's schedule there (open_lth's start step) and trains iterations k+1..n on the
   * batches the dense run saw at those iterations.
   */
  private firstIteration(round: number): number {
    const reset = this.config.pruning.reset;
    return round > 0 && reset.kind === 'rewind' ? reset.iteration : 0;
  }

  /** Frees what the compute holds for this experiment. The experiment cannot run afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.ownsSession) this.session.dispose();
  }
}
