/**
 * An experiment: round 0 trains the dense network from θ0; each later round prunes, resets the
 * survivors (to θ0, or rewinds them to iteration k of round 0) and trains the ticket, with the
 * controls in lockstep on the same mini-batches (paper §2, "identifying winning tickets").
 */
import * as tf from '@tensorflow/tfjs-core';
import { type ExperimentConfig, type VariantName, validateConfig, variantsOfRound } from './config';
import { BatchOrder, CLASSES, IMAGE_SIZE, type Dataset, type Split, fillBatch } from './data';
import { type Params, type VariantStart, controlStart, initialParams, ticketStart } from './init';
import { Mask, assertShrinks, remainingFraction } from './mask';
import { type CurvePoint, type LayerHistogram, earlyStop, layerHistograms, pixelSurvivors } from './metrics';
import { StackedMlp } from './model';
import { PRUNERS, pruneOneShot } from './prune';
import { Rng } from './rng';

export interface VariantResult {
  variant: VariantName;
  /** P_m of this variant's masks (controls keep the ticket's per-layer counts). */
  remaining: number;
  remainingByLayer: number[];
  curve: CurvePoint[];
  /** Iteration of minimum validation loss, and the test accuracy measured there. */
  earlyStopIteration: number;
  earlyStopTestAccuracy: number;
  earlyStopValidationAccuracy: number;
  finalTestAccuracy: number;
  /** Figure 3: θ0 of this variant's surviving connections over the whole layer's θ0. */
  histograms: LayerHistogram[];
  /** Surviving first-layer connections per input pixel, 28×28 row-major. */
  pixelSurvivors: number[];
}

export interface RoundResult {
  round: number;
  remaining: number;
  remainingByLayer: number[];
  variants: VariantResult[];
  /** Wall time of the round, and training examples per second summed over variants. */
  wallMs: number;
  examplesPerSecond: number;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  rounds: RoundResult[];
  wallMs: number;
  /** Where it ran, e.g. "wasm (node)" or "webgpu (nvidia ampere)". */
  backend?: string;
}

export interface RoundStart {
  round: number;
  variants: VariantName[];
  remaining: number;
  remainingByLayer: number[];
}

/**
 * What a run needs to go on at `nextRound` exactly as if it had never stopped (issue 4): the
 * same seed gives the same θ0, data order and control draws, so only what training produced
 * must be kept. Also how a ticket imported from a file is trained: its round, its masks, its
 * weights.
 */
export interface ResumeState {
  nextRound: number;
  /** The ticket's masks for `nextRound`, one 0/1 entry per weight (pruned when the round before ended). */
  masks: Uint8Array[];
  /** Where survivors are rewound to, for runs that rewind to iteration k (null otherwise). */
  rewindTo: Params | null;
  /** The dense round's trained weights: one-shot pruning prunes every later round from them. */
  denseTrained: Float32Array[] | null;
  /** θ0, where it does not come from the seed (a ticket's survivors written over the seed's θ0). */
  theta0?: Params;
}

/** How an experiment talks to whoever runs it (the worker, the CLI, a test). */
export interface Observer {
  roundStarted?(r: RoundStart): void;
  curvePoint?(round: number, variant: VariantName, point: CurvePoint): void;
  /** Called after every training step. */
  progress?(round: number, iteration: number, iterations: number): void;
  roundCompleted?(r: RoundResult): void;
  /**
   * Called before every training step and between evaluation chunks, and awaited when it returns
   * a promise: the runner's chance to yield to its event loop, to hold while paused, or to throw
   * to stop.
   */
  checkpoint?(): void | Promise<void>;
}

/** Evaluation chunks, uploaded once per experiment: fixed shapes, reused every evaluation. */
interface EvalSet {
  chunks: { x: tf.Tensor2D; labels: tf.Tensor1D }[];
  size: number;
}

/** Evaluation examples per forward pass: large for throughput, small where a pass is slow (cpu). */
export const DEFAULT_EVAL_CHUNK = 1000;
/** Steps between waits on a recent loss: bounds how far the CPU runs ahead of a GPU queue. */
const SYNC_EVERY = 8;

function uploadEvalSet(s: Split, chunk: number): EvalSet {
  const chunks: EvalSet['chunks'] = [];
  for (let from = 0; from < s.size; from += chunk) {
    const n = Math.min(chunk, s.size - from);
    const x = new Float32Array(n * IMAGE_SIZE);
    const y = new Float32Array(n * CLASSES);
    fillBatch(s, Uint32Array.from({ length: n }, (_, i) => from + i), x, y);
    chunks.push({ x: tf.tensor2d(x, [n, IMAGE_SIZE]), labels: tf.tensor1d(s.labels.subarray(from, from + n), 'int32') });
  }
  return { chunks, size: s.size };
}

export class Experiment {
  readonly config: ExperimentConfig;
  readonly theta0: Params;
  readonly results: RoundResult[] = [];
  /** The ticket's masks of the last round run, and of the round to run next. */
  private masks: Mask[];
  private nextMasks: Mask[];
  private denseTrained: Float32Array[] | null = null;
  private rewindTo: Params | null = null;
  private readonly order: BatchOrder;
  private readonly validation: EvalSet;
  private readonly test: EvalSet;
  private nextRound = 0;
  private disposed = false;

  constructor(
    config: ExperimentConfig,
    private readonly data: Dataset,
    private readonly now: () => number = Date.now,
    evalChunk = DEFAULT_EVAL_CHUNK,
    resume?: ResumeState,
  ) {
    this.config = validateConfig(config);
    const layers = config.model.layers;
    this.theta0 = resume?.theta0 ?? initialParams(layers, config.training.seed);
    this.masks = this.theta0.weights.map((w) => Mask.ones(w.length));
    this.nextMasks = this.masks;
    if (resume && resume.nextRound > 0) this.restore(resume);
    this.order = new BatchOrder(data.train.size, config.training.batchSize, config.training.seed);
    this.validation = uploadEvalSet(data.validation, evalChunk);
    try {
      this.test = uploadEvalSet(data.test, evalChunk);
    } catch (e) {
      for (const c of this.validation.chunks) tf.dispose([c.x, c.labels]);
      throw e;
    }
  }

  /** The round `runRound` will run next; `done` once every round has run. */
  get round(): number {
    return this.nextRound;
  }

  get done(): boolean {
    return this.nextRound > this.config.pruning.rounds;
  }

  /** Where a rewinding run resets survivors to (known once round 0 reached iteration k); else null. */
  get rewindWeights(): Params | null {
    return this.rewindTo;
  }

  /** The ticket's current masks (after the last pruning). */
  get ticketMasks(): readonly Mask[] {
    return this.masks;
  }

  /** Continues where `snapshot()` left off; checked, since the state may come from storage. */
  private restore(r: ResumeState): void {
    const { pruning, model } = this.config;
    const sizes = this.theta0.weights.map((w) => w.length);
    const problems: string[] = [];
    if (!Number.isInteger(r.nextRound) || r.nextRound > pruning.rounds) problems.push(`round ${r.nextRound} is not a round of this run (0–${pruning.rounds})`);
    if (r.masks.length !== sizes.length || r.masks.some((m, l) => m.length !== sizes[l])) problems.push(`the masks do not fit ${model.layers.join('-')}`);
    if (pruning.reset.kind === 'rewind' && !r.rewindTo) problems.push('a rewinding run needs the weights it rewinds to');
    if (pruning.method === 'oneShot' && r.nextRound < pruning.rounds && !r.denseTrained) problems.push("one-shot pruning needs the dense round's trained weights");
    if (problems.length) throw new Error(`cannot resume: ${problems.join('; ')}`);
    this.nextRound = r.nextRound;
    this.nextMasks = r.masks.map((m) => new Mask(m.slice()));
    this.rewindTo = r.rewindTo;
    this.denseTrained = r.denseTrained;
  }

  /** What `new Experiment(config, data, now, chunk, state)` needs to go on from here; null once done. */
  snapshot(): ResumeState | null {
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

  /** The masks of round r > 0, pruned from round r − 1's trained ticket (or the dense net). */
  private pruneFor(round: number, trained: Float32Array[], masks: Mask[]): Mask[] {
    const { config } = this;
    const next = config.pruning.method === 'oneShot' ? pruneOneShot(config, this.denseTrained!, round) : PRUNERS[config.pruning.scope](config, trained, masks);
    if (config.pruning.method === 'iterative') assertShrinks(next, masks);
    return next;
  }

  /** Trains round `this.round` and returns its result. */
  async runRound(observer: Observer = {}): Promise<RoundResult> {
    if (this.disposed) throw new Error('experiment disposed');
    if (this.done) throw new Error('every round has already run');
    const round = this.nextRound;
    const { config } = this;
    const layers = config.model.layers;
    const started = this.now();
    const masks = this.nextMasks;
    const source = config.pruning.reset.kind === 'rewind' && round > 0 ? this.rewindTo! : this.theta0;
    const names = variantsOfRound(config, round);
    const starts: VariantStart[] = names.map((name) =>
      name === 'ticket' ? ticketStart(source, masks) : controlStart(name, layers, source, masks, new Rng(config.training.seed, 'control', name, round)),
    );
    const byLayer = masks.map((m) => m.density);
    observer.roundStarted?.({ round, variants: names, remaining: remainingFraction(masks), remainingByLayer: byLayer });

    const model = new StackedMlp(layers, names.length);
    try {
      model.load(starts);
      const curves = await this.train(model, round, names, observer);
      const trained = await model.readWeights(0);
      const result: RoundResult = {
        round,
        remaining: remainingFraction(masks),
        remainingByLayer: byLayer,
        variants: names.map((variant, i) => this.variantResult(variant, starts[i]!, curves[i]!)),
        wallMs: this.now() - started,
        examplesPerSecond: 0,
      };
      const steps = config.training.iterations - this.firstIteration(round);
      result.examplesPerSecond = (names.length * steps * config.training.batchSize) / Math.max(1e-3, result.wallMs / 1000);
      if (round === 0) this.denseTrained = trained;
      this.masks = masks;
      // The next round's masks now, so a snapshot taken when this round completes can resume.
      if (round < config.pruning.rounds) this.nextMasks = this.pruneFor(round + 1, trained, masks);
      this.results.push(result);
      this.nextRound = round + 1;
      observer.roundCompleted?.(result);
      return result;
    } finally {
      model.dispose();
    }
  }

  private variantResult(variant: VariantName, start: VariantStart, curve: CurvePoint[]): VariantResult {
    const layers = this.config.model.layers;
    const best = earlyStop(curve);
    return {
      variant,
      remaining: remainingFraction(start.masks),
      remainingByLayer: start.masks.map((m) => m.density),
      curve,
      earlyStopIteration: best.iteration,
      earlyStopTestAccuracy: best.testAccuracy,
      earlyStopValidationAccuracy: best.validationAccuracy,
      finalTestAccuracy: curve[curve.length - 1]!.testAccuracy,
      // Figure 3 is about θ0: the initial values of each variant's surviving connections.
      histograms: layerHistograms(layers, this.theta0.weights, this.theta0.weights, start.masks),
      pixelSurvivors: Array.from(pixelSurvivors(start.masks[0]!, layers[1]!)),
    };
  }

  /**
   * Where a round's training starts: 0, or k for a round rewound to iteration k, which resumes
   * the dense run's schedule there (open_lth's start step) and trains iterations k+1..n on the
   * batches the dense run saw at those iterations.
   */
  private firstIteration(round: number): number {
    const reset = this.config.pruning.reset;
    return round > 0 && reset.kind === 'rewind' ? reset.iteration : 0;
  }

  /** The training loop of one round; returns each variant's curve. */
  private async train(model: StackedMlp, round: number, names: VariantName[], observer: Observer): Promise<CurvePoint[][]> {
    const { training, pruning } = this.config;
    const { batchSize, iterations, evalEvery, learningRate } = training;
    const k = names.length;
    const curves: CurvePoint[][] = names.map(() => []);
    const xBuf = new Float32Array(batchSize * IMAGE_SIZE);
    const yBuf = new Float32Array(batchSize * CLASSES);
    const batch = (it: number): [tf.Tensor2D, tf.Tensor2D] => {
      fillBatch(this.data.train, this.order.indices(it), xBuf, yBuf);
      return [tf.tensor2d(xBuf, [batchSize, IMAGE_SIZE]), tf.tensor2d(yBuf, [batchSize, CLASSES])];
    };
    const rewindAt = round === 0 && pruning.reset.kind === 'rewind' ? pruning.reset.iteration : -1;
    const first = this.firstIteration(round);

    let lossSum: tf.Tensor1D = tf.zeros([k]);
    let stepsSinceEval = 0;
    let probe: tf.Tensor | null = null;
    const record = async (iteration: number) => {
      let trainLoss: Float32Array;
      if (stepsSinceEval === 0) {
        // Before any step: the loss of the starting weights on the first batch this round trains on.
        const [x, y] = batch(first);
        const labels = tf.tensor1d(Int32Array.from(this.order.indices(first), (e) => this.data.train.labels[e]!), 'int32');
        const start = model.evaluate(x, labels);
        trainLoss = Float32Array.from(await start.lossSum.data(), (v) => v / batchSize);
        tf.dispose([x, y, labels, start.lossSum, start.correct]);
      } else {
        trainLoss = Float32Array.from(await lossSum.data(), (v) => v / stepsSinceEval);
      }
      const [vLoss, vAcc] = await this.evaluate(model, this.validation, observer);
      const [, tAcc] = await this.evaluate(model, this.test, observer);
      names.forEach((variant, v) => {
        const point: CurvePoint = {
          iteration,
          trainLoss: trainLoss[v]!,
          validationLoss: vLoss[v]!,
          validationAccuracy: vAcc[v]!,
          testAccuracy: tAcc[v]!,
        };
        curves[v]!.push(point);
        observer.curvePoint?.(round, variant, point);
      });
      lossSum.dispose();
      lossSum = tf.zeros([k]);
      stepsSinceEval = 0;
    };

    try {
      if (rewindAt === 0) this.rewindTo = this.theta0;
      await record(first);
      for (let it = first + 1; it <= iterations; it++) {
        const pending = observer.checkpoint?.();
        if (pending) await pending;
        const [x, y] = batch(it - 1);
        let loss: tf.Tensor1D;
        try {
          loss = model.trainStep(x, y, learningRate);
        } finally {
          tf.dispose([x, y]);
        }
        const next = tf.add(lossSum, loss) as tf.Tensor1D;
        lossSum.dispose();
        lossSum = next;
        stepsSinceEval++;
        if (it % SYNC_EVERY === 0) {
          if (probe) {
            await probe.data();
            probe.dispose();
          }
          probe = loss;
        } else loss.dispose();
        if (it === rewindAt) this.rewindTo = { weights: await model.readWeights(0), biases: await model.readBiases(0) };
        observer.progress?.(round, it, iterations);
        if (it % evalEvery === 0 || it === iterations) await record(it);
      }
    } finally {
      tf.dispose([lossSum, ...(probe ? [probe] : [])]);
    }
    return curves;
  }

  /** Mean loss and accuracy per variant over an evaluation set, in one pass for all variants. */
  private async evaluate(model: StackedMlp, set: EvalSet, observer: Observer): Promise<[Float32Array, Float32Array]> {
    let loss: tf.Tensor = tf.zeros([model.k]);
    let correct: tf.Tensor = tf.zeros([model.k]);
    try {
      for (const c of set.chunks) {
        // An evaluation can take seconds on a slow backend: pause and stop are honoured between chunks.
        const pending = observer.checkpoint?.();
        if (pending) await pending;
        const s = model.evaluate(c.x, c.labels);
        const l2 = tf.add(loss, s.lossSum);
        const c2 = tf.add(correct, s.correct);
        tf.dispose([loss, correct, s.lossSum, s.correct]);
        loss = l2;
        correct = c2;
      }
      const [l, a] = await Promise.all([loss.data(), correct.data()]);
      return [Float32Array.from(l, (v) => v / set.size), Float32Array.from(a, (v) => v / set.size)];
    } finally {
      tf.dispose([loss, correct]);
    }
  }

  /** Frees the evaluation tensors. The experiment cannot run afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of [...this.validation.chunks, ...this.test.chunks]) tf.dispose([c.x, c.labels]);
  }
}
