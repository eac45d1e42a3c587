/**
 * The tfjs path of `Compute`: the stacked model of model.ts on whatever backend tfjs has started
 * (webgpu, webgl, wasm, cpu). Held-out sets are uploaded once per experiment in fixed-shape
 * chunks; batches are built into reused buffers; losses stay on the device until asked for.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type Batch,
  type Compute,
  type ComputeSession,
  type Evaluation,
  type HeldOut,
  type SessionOptions,
  type Trainer,
  type TrainerOptions,
  sharedBatch,
} from './compute';
import { CLASSES, IMAGE_SIZE, type Dataset, type Split, fillBatch } from './data';
import type { VariantStart } from './init';
import { StackedMlp } from './model';

/** Held-out examples per forward pass: large for throughput (the cpu backend asks for fewer). */
export const DEFAULT_EVAL_CHUNK = 1000;
/** Steps between waits on a recent loss: bounds how far the CPU runs ahead of a GPU queue. */
const SYNC_EVERY = 8;

interface EvalSet {
  chunks: { x: tf.Tensor2D; labels: tf.Tensor1D }[];
  size: number;
}

function upload(s: Split, chunk: number): EvalSet {
  const chunks: EvalSet['chunks'] = [];
  try {
    for (let from = 0; from < s.size; from += chunk) {
      const n = Math.min(chunk, s.size - from);
      const x = new Float32Array(n * IMAGE_SIZE);
      const y = new Float32Array(n * CLASSES);
      fillBatch(
        s,
        Uint32Array.from({ length: n }, (_, i) => from + i),
        x,
        y,
      );
      chunks.push({
        x: tf.tensor2d(x, [n, IMAGE_SIZE]),
        labels: tf.tensor1d(s.labels.subarray(from, from + n), 'int32'),
      });
    }
  } catch (e) {
    for (const c of chunks) tf.dispose([c.x, c.labels]);
    throw e;
  }
  return { chunks, size: s.size };
}

class TfSession implements ComputeSession {
  readonly held: Record<HeldOut, EvalSet>;
  private disposed = false;

  constructor(
    readonly data: Dataset,
    readonly layers: readonly number[],
    readonly batchSize: number,
    evalChunk: number,
  ) {
    const validation = upload(data.validation, evalChunk);
    try {
      this.held = { validation, test: upload(data.test, evalChunk) };
    } catch (e) {
      for (const c of validation.chunks) tf.dispose([c.x, c.labels]);
      throw e;
    }
  }

  trainer(k: number, options: TrainerOptions = {}): Trainer {
    if (this.disposed) throw new Error('compute session disposed');
    if (options.ownBatches)
      throw new RangeError("tfjs's stacked model shares one batch among its variants");
    return new TfTrainer(this, k);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const set of Object.values(this.held))
      for (const c of set.chunks) tf.dispose([c.x, c.labels]);
  }
}

class TfTrainer implements Trainer {
  private readonly model: StackedMlp;
  private readonly xBuf: Float32Array;
  private readonly yBuf: Float32Array;
  private lossSum: tf.Tensor1D;
  private steps = 0;
  private probe: tf.Tensor | null = null;

  constructor(
    private readonly session: TfSession,
    readonly k: number,
  ) {
    this.model = new StackedMlp(session.layers, k);
    this.xBuf = new Float32Array(session.batchSize * IMAGE_SIZE);
    this.yBuf = new Float32Array(session.batchSize * CLASSES);
    this.lossSum = tf.zeros([k]);
  }

  load(starts: readonly VariantStart[]): void {
    this.model.load(starts);
  }

  private batch(indices: Uint32Array): [tf.Tensor2D, tf.Tensor2D] {
    fillBatch(this.session.data.train, indices, this.xBuf, this.yBuf);
    return [
      tf.tensor2d(this.xBuf, [indices.length, IMAGE_SIZE]),
      tf.tensor2d(this.yBuf, [indices.length, CLASSES]),
    ];
  }

  step(batch: Batch, learningRate: number): void | Promise<void> {
    const [x, y] = this.batch(sharedBatch(batch));
    let loss: tf.Tensor1D;
    try {
      loss = this.model.trainStep(x, y, learningRate);
    } finally {
      tf.dispose([x, y]);
    }
    const next = tf.add(this.lossSum, loss) as tf.Tensor1D;
    this.lossSum.dispose();
    this.lossSum = next;
    this.steps++;
    if (this.steps % SYNC_EVERY !== 0) {
      loss.dispose();
      return;
    }
    // Every SYNC_EVERY steps, wait for the loss kept SYNC_EVERY steps ago (asynchronously; no
    // readback stalls the queue): the CPU never runs more than 2·SYNC_EVERY steps ahead of a GPU.
    const previous = this.probe;
    this.probe = loss;
    if (previous) return previous.data().then(() => previous.dispose());
  }

  async takeTrainLoss(): Promise<Float32Array> {
    const steps = this.steps;
    const sum = await this.lossSum.data();
    this.lossSum.dispose();
    this.lossSum = tf.zeros([this.k]);
    this.steps = 0;
    return Float32Array.from(sum, (v) => v / Math.max(1, steps));
  }

  async batchLoss(batch: Batch): Promise<Float32Array> {
    const indices = sharedBatch(batch);
    const [x, y] = this.batch(indices);
    const labels = tf.tensor1d(
      Int32Array.from(indices, (e) => this.session.data.train.labels[e]!),
      'int32',
    );
    const sums = this.model.evaluate(x, labels);
    try {
      return Float32Array.from(await sums.lossSum.data(), (v) => v / indices.length);
    } finally {
      tf.dispose([x, y, labels, sums.lossSum, sums.correct]);
    }
  }

  async evaluate(split: HeldOut, checkpoint?: () => void | Promise<void>): Promise<Evaluation> {
    const set = this.session.held[split];
    let loss: tf.Tensor = tf.zeros([this.k]);
    let correct: tf.Tensor = tf.zeros([this.k]);
    try {
      for (const c of set.chunks) {
        // An evaluation can take seconds on a slow backend: pause and stop are honoured between
        // chunks.
        const pending = checkpoint?.();
        if (pending) await pending;
        const s = this.model.evaluate(c.x, c.labels);
        const l2 = tf.add(loss, s.lossSum);
        const c2 = tf.add(correct, s.correct);
        tf.dispose([loss, correct, s.lossSum, s.correct]);
        loss = l2;
        correct = c2;
      }
      const [l, a] = await Promise.all([loss.data(), correct.data()]);
      return {
        loss: Float32Array.from(l, (v) => v / set.size),
        accuracy: Float32Array.from(a, (v) => v / set.size),
      };
    } finally {
      tf.dispose([loss, correct]);
    }
  }

  async readParams(v: number) {
    return { weights: await this.model.readWeights(v), biases: await this.model.readBiases(v) };
  }

  dispose(): void {
    this.model.dispose();
    tf.dispose([this.lossSum, ...(this.probe ? [this.probe] : [])]);
    this.probe = null;
  }
}

/** tfjs on its current backend. */
export const tfCompute: Compute = {
  ownBatches: false,
  get name() {
    return `tfjs ${tf.getBackend()}`;
  },
  open(data: Dataset, layers: readonly number[], options: SessionOptions): ComputeSession {
    return new TfSession(data, layers, options.batchSize, options.evalChunk ?? DEFAULT_EVAL_CHUNK);
  },
  async roundTrip(arrays: readonly Float32Array[]): Promise<Float32Array[]> {
    const tensors = arrays.map((a) => tf.tensor1d(a));
    try {
      return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    } finally {
      tf.dispose(tensors);
    }
  },
};
