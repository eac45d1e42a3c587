/**
 * One round's K variants on the kernels: activations laid out once, layers laid out per load
 * (dense or sparse, layers.ts), and the step, loss and evaluation as sequences of kernel calls.
 */
import type { Batch, Evaluation, HeldOut, Trainer } from '../engine/compute';
import type { Params, VariantStart } from '../engine/init';
import { pad16 } from './abi';
import type { Arena } from './arena';
import type { KernelSession, SplitAt } from './kernel-compute';
import {
  type ActivationsAt,
  layOutActivations,
  layerIo,
  placeIndices,
  placeInput,
  placeLitColumns,
} from './activations';
import type { KernelLayer, LayerShape } from './layer';
import { type LayerStorage, layerFor } from './layers';
import { type HeldLit, LitFirstLayer, litPays } from './lit-first-layer';
import { LitLayer } from './lit-layer';
import type { KernelPool } from './pool';

const BETA1 = 0.9;
const BETA2 = 0.999;
/** PyTorch's and open_lth's Adam ε, as on the tfjs path (model.ts). */
const EPSILON = 1e-8;
/** Held-out examples per chunk: a layer's input of 64 examples stays in a core's L2 cache. */
const EVAL_CHUNK = 64;

const storageOf = (layer: KernelLayer): 'dense' | 'sparse' | 'lit' =>
  layer instanceof LitLayer ? 'lit' : layer.sparse ? 'sparse' : 'dense';

export class KernelTrainer implements Trainer {
  private readonly arena: Arena;
  private readonly pool: KernelPool;
  private readonly mark: number;
  private readonly shapes: LayerShape[];
  private readonly batch: ActivationsAt;
  private readonly evalBatch: ActivationsAt;
  private readonly idx: number;
  /** f64 per variant: running training loss sum, and held-out loss and correct counts. */
  private readonly lossSum: number;
  private readonly evalLoss: number;
  private readonly evalCorrect: number;
  /** Where the layers' parameters start: they are laid out anew by each load (dense or sparse). */
  private readonly paramsMark: number;
  private layers: KernelLayer[] = [];
  /** Evaluation's first layer through the lit pixels, where the held-out images are sparse. */
  private readonly lit: LitFirstLayer | null;
  /** This round evaluates through `lit` (litPays: fewer lit pixels than kept weights). */
  private litOn = false;
  /**
   * The first layer trains through the lit pixels where it would otherwise train dense: the fused
   * multiply-add build (the plain one keeps the tiles that computed docs/results.md), on inputs
   * sparse enough for the lit pixels to pay (MNIST's, not inverted digits').
   */
  private readonly litTrains: boolean;
  /** Counts loads and steps: the weights `lit` copied are current while it is unchanged. */
  private weightsVersion = 0;
  /** Examples in the running training loss. */
  private examples = 0;
  private t = 0;
  private disposed = false;

  constructor(
    private readonly session: KernelSession,
    readonly k: number,
    private readonly onDispose: () => void,
    /** One storage for every layer, or one per layer. */
    private readonly storage: LayerStorage | readonly LayerStorage[],
    /** Each variant trains on its own batches (trials in lockstep). */
    private readonly ownBatches = false,
    /**
     * Evaluation may read the first layer's input through its lit pixels (lit-first-layer.ts);
     * a lit first layer (lit-layer.ts) is evaluated so whatever this says: it has no tiles.
     */
    private readonly litEval = true,
  ) {
    const { compute, layers, batchSize } = session;
    this.arena = compute.arena;
    this.pool = compute.pool;
    this.mark = this.arena.mark();
    const a = this.arena;
    const widths = layers.map(pad16);
    this.shapes = layers
      .slice(1)
      .map((out, l) => ({ inn: layers[l]!, out, innP: widths[l]!, outP: widths[l + 1]! }));
    // The held-out lists exist where the lit pixels pay (LeNet's 784 inputs, a sparse input).
    this.litTrains = session.heldLit !== null && compute.arithmetic === 'fma';
    this.batch = layOutActivations(a, widths, k, pad16(batchSize), {
      transposed: true,
      own: ownBatches,
      // Lit lists only where a first layer may train lit (0.8 MB a set).
      lit:
        session.heldLit !== null &&
        (this.litTrains || (typeof storage === 'string' ? [storage] : storage).includes('lit')),
    });
    // Held-out sets are the same for every variant: their input is always shared.
    this.evalBatch = layOutActivations(a, widths, k, EVAL_CHUNK, {
      transposed: false,
      own: false,
      lit: false,
    });
    this.lit = session.heldLit ? new LitFirstLayer(a, this.shapes[0]!, k, EVAL_CHUNK) : null;
    this.idx = a.alloc((ownBatches ? k : 1) * batchSize * 4);
    this.lossSum = a.alloc(k * 8);
    this.evalLoss = a.alloc(k * 8);
    this.evalCorrect = a.alloc(k * 8);
    this.paramsMark = a.mark();
  }

  /** Dense, sparse or lit, per layer: which storage each layer of the loaded round uses. */
  get storages(): ('dense' | 'sparse' | 'lit')[] {
    return this.layers.map(storageOf);
  }

  load(starts: readonly VariantStart[]): void {
    this.assertLive();
    if (starts.length !== this.k)
      throw new RangeError(`expected ${this.k} variants, got ${starts.length}`);
    this.arena.release(this.paramsMark);
    this.layers = [];
    try {
      this.layers = this.shapes.map((shape, l) => {
        const mode = typeof this.storage === 'string' ? this.storage : this.storage[l];
        // Only where evaluation can read it too (the held-out sets' lists): it has no tiles.
        const lists = this.batch.lists && this.lit && (this.litTrains || mode === 'lit');
        const layer = layerFor(this.arena, shape, starts, l, mode, lists ? this.batch : null);
        layer.load(starts, l);
        return layer;
      });
    } catch (e) {
      this.layers = [];
      this.arena.release(this.paramsMark);
      throw e;
    }
    this.t = 0;
    this.examples = 0;
    this.arena.f64(this.lossSum, this.k).fill(0);
    this.weightsVersion++;
    const first = this.shapes[0]!;
    const sparse = this.layers[0]!.sparse;
    const density = starts[0]!.masks[0]!.count / (first.inn * first.out);
    this.litOn =
      this.lit !== null &&
      (this.layers[0] instanceof LitLayer ||
        (this.litEval && litPays(this.session.litShare, { sparse, density })));
  }

  /** Whether evaluation's first layer reads the lit pixels this round (tests, the benchmark). */
  get evaluatesLit(): boolean {
    return this.litOn;
  }

  /**
   * Input and forward pass of `n` examples listed at `idx` of `split` into `acts`; with `acts.own`,
   * variant v's examples are listed at `idx` + v · batchSize and gathered into its own input.
   */
  private forward(split: SplitAt, idx: number, n: number, acts: ActivationsAt): void {
    if (this.layers.length === 0) throw new Error('load the variants first');
    const first = this.layers[0]!;
    const input = { split, idx, n, max: this.session.batchSize, lut: this.session.lut };
    placeInput(this.pool, acts, input, acts.own ? this.k : 1, storageOf(first));
    this.layers.forEach((layer, l) =>
      layer.forward(this.pool, layerIo(acts, l), l < this.layers.length - 1),
    );
  }

  /**
   * Held-out examples from .. from + n of `set` through the first layer's lit pixels, then the
   * rest; returns where their labels are.
   */
  private litForward(held: HeldLit, set: SplitAt, from: number, n: number): number {
    const acts = this.evalBatch;
    const first = this.layers[0]!;
    this.lit!.prepare(first, this.weightsVersion);
    const io = layerIo(acts, 0);
    const idx = this.session.sequence + from * 4;
    const at = { split: set, lut: this.session.lut, idx, from, n, labelsOut: acts.labels };
    const relu = this.layers.length > 1;
    const labels = this.lit!.forward(this.pool, first, held, at, io.hout, io.shout, relu);
    this.layers.forEach(
      (layer, l) => l > 0 && layer.forward(this.pool, layerIo(acts, l), l < this.layers.length - 1),
    );
    return labels;
  }

  /**
   * Adds the loss (and, with `correct`, the right answers) of the batch in `acts` per variant,
   * against `labels` (the batch's own by default).
   */
  private loss(
    acts: ActivationsAt,
    n: number,
    dz: number,
    lossSum: number,
    correct: number,
    labels = acts.labels,
  ): void {
    const last = this.shapes.length;
    const out = this.shapes[last - 1]!;
    const run = (v: number, count: number, labels: number) =>
      this.pool.run(
        'softmaxXent',
        [
          acts.h[last]! + v * acts.stride[last]!,
          acts.stride[last]!,
          labels,
          n,
          acts.bs,
          out.out,
          out.outP,
          dz ? dz + v * acts.stride[last]! : 0,
          1 / n,
          lossSum + v * 8,
          correct ? correct + v * 8 : 0,
        ],
        count,
      );
    if (!acts.own) run(0, this.k, labels);
    // Each variant against its own labels: one call a variant (the loss is a sliver of a step).
    else for (let v = 0; v < this.k; v++) run(v, 1, acts.labels + v * acts.bs * 4);
  }

  /** Writes a step's example indices where `forward` reads them: how many each variant has. */
  private indices(batch: Batch): number {
    const { arena, idx, k, session, ownBatches } = this;
    return placeIndices(arena, idx, batch, k, session.batchSize, ownBatches);
  }

  step(examples: Batch, learningRate: number): void {
    this.assertLive();
    const { batch } = this;
    const n = this.indices(examples);
    this.forward(this.session.train, this.idx, n, batch);
    // The update's view of the lit pixels: pixel by pixel, for the weight gradient.
    if (this.layers[0] instanceof LitLayer)
      placeLitColumns(this.pool, batch, batch.own ? this.k : 1);
    const last = this.layers.length;
    this.loss(batch, n, batch.dz[last]!, this.lossSum, 0);
    this.t += 1;
    const alpha = (learningRate * Math.sqrt(1 - BETA2 ** this.t)) / (1 - BETA1 ** this.t);
    const epsHat = EPSILON * Math.sqrt(1 - BETA2 ** this.t);
    const adam = [alpha, epsHat, BETA1, 1 - BETA1, BETA2, 1 - BETA2];
    for (let l = last - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const io = layerIo(batch, l);
      // The gradient at this layer's input first: it needs the weights before their update.
      if (l > 0) layer.backwardInput(this.pool, batch.dz[l + 1]!, io.shout, io, batch.dz[l]!);
      layer.update(this.pool, batch.dz[l + 1]!, io.shout, io, n, adam);
    }
    this.examples += n;
    this.weightsVersion++;
  }
  async takeTrainLoss(): Promise<Float32Array> {
    this.assertLive();
    const sums = this.arena.f64(this.lossSum, this.k);
    const examples = Math.max(1, this.examples);
    const mean = Float32Array.from(sums, (s) => s / examples);
    sums.fill(0);
    this.examples = 0;
    return mean;
  }

  async batchLoss(examples: Batch): Promise<Float32Array> {
    this.assertLive();
    const n = this.indices(examples);
    const acts = { ...this.batch, hT: this.batch.hT.map(() => 0) };
    this.forward(this.session.train, this.idx, n, acts);
    const sums = this.arena.f64(this.evalLoss, this.k);
    sums.fill(0);
    this.loss(acts, n, 0, this.evalLoss, 0);
    return Float32Array.from(this.arena.f64(this.evalLoss, this.k), (s) => s / n);
  }

  async evaluate(split: HeldOut, checkpoint?: () => void | Promise<void>): Promise<Evaluation> {
    this.assertLive();
    const set = this.session.held[split];
    const a = this.arena;
    a.f64(this.evalLoss, this.k).fill(0);
    a.f64(this.evalCorrect, this.k).fill(0);
    for (let from = 0; from < set.size; from += EVAL_CHUNK) {
      const pending = checkpoint?.();
      if (pending) await pending;
      this.assertLive();
      const n = Math.min(EVAL_CHUNK, set.size - from);
      const held = this.session.heldLit?.[split];
      if (this.litOn && this.lit && held) {
        const labels = this.litForward(held, set, from, n);
        this.loss(this.evalBatch, n, 0, this.evalLoss, this.evalCorrect, labels);
      } else {
        this.forward(set, this.session.sequence + from * 4, n, this.evalBatch);
        this.loss(this.evalBatch, n, 0, this.evalLoss, this.evalCorrect);
      }
    }
    // Every helper answers before an evaluation is reported: one that is gone is noticed here at
    // the latest (the engine evaluates at every round's end), however short the round.
    this.pool.rollCall();
    return {
      loss: Float32Array.from(a.f64(this.evalLoss, this.k), (s) => s / set.size),
      accuracy: Float32Array.from(a.f64(this.evalCorrect, this.k), (c) => c / set.size),
    };
  }

  async readParams(v: number): Promise<Params> {
    this.assertLive();
    if (!Number.isInteger(v) || v < 0 || v >= this.k) throw new RangeError(`no variant ${v}`);
    if (this.layers.length === 0) throw new Error('load the variants first');
    return {
      weights: this.layers.map((l) => l.readWeights(v)),
      biases: this.layers.map((l) => l.readBiases(v)),
    };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('trainer disposed');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.arena.release(this.mark);
    this.onDispose();
  }
}
