/**
 * K copies of an MLP (the ticket and its controls) trained in lockstep on the same
 * mini-batches, as one stacked model: a controlled comparison, and K variants for little more
 * than one variant's kernel launches.
 *
 * Layout. Layer 0 sees the same input for every variant, so its stack is laid out
 * [in, K, out], which is [in, K·out] without a copy: forward and weight gradient are single 2D
 * matmuls (on wasm a 2D matmul takes XNNPACK's fast path; batched or transposed-A ones run
 * ~12× slower, measured). Later layers are stacked [K, in, out] and use batched matmuls.
 *
 * Masks. The backward pass is written out by hand and the mask is multiplied into each weight
 * gradient before Adam sees it, and into Adam's update: the moments of a pruned weight stay
 * exactly 0 and its update is exactly 0 whatever the device's precision, so a pruned weight that
 * starts at 0 stays exactly 0 through every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { VariantStart } from './init';

const BETA1 = 0.9;
const BETA2 = 0.999;
/** PyTorch's and open_lth's Adam ε (tfjs defaults to 1e-7). */
const EPSILON = 1e-8;

interface Slot {
  w: tf.Variable;
  b: tf.Variable;
  mask: tf.Tensor;
  mw: tf.Variable;
  vw: tf.Variable;
  mb: tf.Variable;
  vb: tf.Variable;
}

/** Per-variant sums over a batch: summed cross-entropy and count of correct predictions. */
export interface EvalSums {
  lossSum: tf.Tensor1D;
  correct: tf.Tensor1D;
}

export class StackedMlp {
  private readonly slots: Slot[];
  private t = 0;

  constructor(
    readonly layers: readonly number[],
    readonly k: number,
  ) {
    this.slots = layers.slice(1).map((out, l) => {
      const inn = layers[l]!;
      const shape = l === 0 ? [inn, k * out] : [k, inn, out];
      const bShape = l === 0 ? [1, k * out] : [k, 1, out];
      // tf.variable copies its initial value; tidy frees the zeros it was made from.
      const zeros = (sh: number[]) => tf.tidy(() => tf.variable(tf.zeros(sh), false));
      return {
        w: zeros(shape),
        b: zeros(bShape),
        mask: tf.ones(shape),
        mw: zeros(shape),
        vw: zeros(shape),
        mb: zeros(bShape),
        vb: zeros(bShape),
      };
    });
  }

  /** Loads the K variants' starting points (masks, survivors' values) and resets Adam. */
  load(starts: readonly VariantStart[]): void {
    if (starts.length !== this.k)
      throw new RangeError(`expected ${this.k} variants, got ${starts.length}`);
    this.t = 0;
    this.slots.forEach((s, l) => {
      const inn = this.layers[l]!;
      const out = this.layers[l + 1]!;
      const w = this.stack(
        starts.map((v) => v.params.weights[l]!),
        inn,
        out,
        l === 0,
      );
      const m = this.stack(
        starts.map((v) => v.masks[l]!.toFloat32()),
        inn,
        out,
        l === 0,
      );
      const b = new Float32Array(this.k * out);
      starts.forEach((v, i) => b.set(v.params.biases[l]!, i * out));
      tf.tidy(() => {
        s.w.assign(tf.tensor(w, s.w.shape));
        s.b.assign(tf.tensor(b, s.b.shape));
        for (const z of [s.mw, s.vw, s.mb, s.vb]) z.assign(tf.zerosLike(z));
      });
      s.mask.dispose();
      s.mask = tf.tensor(m, s.w.shape);
    });
  }

  /** Packs K row-major [in, out] matrices into this layer's stacked layout. */
  private stack(
    mats: readonly Float32Array[],
    inn: number,
    out: number,
    interleaved: boolean,
  ): Float32Array {
    const k = this.k;
    const dst = new Float32Array(k * inn * out);
    mats.forEach((src, v) => {
      if (src.length !== inn * out)
        throw new RangeError(`variant ${v}: ${src.length} weights, expected ${inn * out}`);
      if (!interleaved) dst.set(src, v * inn * out);
      else
        for (let r = 0; r < inn; r++)
          dst.set(src.subarray(r * out, (r + 1) * out), r * k * out + v * out);
    });
    return dst;
  }

  /** Unpacks variant v's [in, out] weight matrix of layer l from the stacked layout. */
  private unstack(data: Float32Array, l: number, v: number): Float32Array {
    const inn = this.layers[l]!;
    const out = this.layers[l + 1]!;
    if (l !== 0) return data.slice(v * inn * out, (v + 1) * inn * out);
    const dst = new Float32Array(inn * out);
    for (let r = 0; r < inn; r++)
      dst.set(data.subarray(r * this.k * out + v * out, r * this.k * out + (v + 1) * out), r * out);
    return dst;
  }

  /**
   * Forward pass. x: [B, 784]. Returns the activations of every layer (post-ReLU for hidden
   * layers, logits last), each [K, B, width], plus layer 0's output in its [B, K·out] form.
   */
  private forward(x: tf.Tensor2D): { acts: tf.Tensor3D[]; first: tf.Tensor2D } {
    const batch = x.shape[0];
    const k = this.k;
    const s0 = this.slots[0]!;
    const out0 = this.layers[1]!;
    const last = this.slots.length - 1;
    let first = tf.add(tf.matMul(x, s0.w as tf.Tensor2D), s0.b) as tf.Tensor2D; // [B, K·out0]
    if (last > 0) first = tf.relu(first);
    let h = tf.transpose(tf.reshape(first, [batch, k, out0]), [1, 0, 2]) as tf.Tensor3D; // [K, B, out0]
    const acts: tf.Tensor3D[] = [h];
    for (let l = 1; l <= last; l++) {
      const s = this.slots[l]!;
      const z = tf.add(tf.matMul(h, s.w as tf.Tensor3D), s.b) as tf.Tensor3D;
      h = l === last ? z : tf.relu(z);
      acts.push(h);
    }
    return { acts, first };
  }

  /**
   * One Adam step of every variant on the batch (x: [B, 784] normalised, y: [B, 10] one-hot).
   * Returns each variant's mean loss on the batch, measured before the update: [K].
   * `lr` is the learning rate.
   */
  trainStep(x: tf.Tensor2D, y: tf.Tensor2D, lr: number): tf.Tensor1D {
    this.t += 1;
    const t = this.t;
    const stepSize = (lr * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t);
    const epsHat = EPSILON * Math.sqrt(1 - BETA2 ** t);
    return tf.tidy(() => {
      const batch = x.shape[0];
      const k = this.k;
      const { acts } = this.forward(x);
      const logits = acts[acts.length - 1]!;
      const logp = tf.logSoftmax(logits);
      const loss = tf.div(tf.neg(tf.sum(tf.mul(logp, y), [1, 2])), batch) as tf.Tensor1D;
      // dL/dlogits for the mean loss of each variant.
      let dz = tf.div(tf.sub(tf.exp(logp), y), batch) as tf.Tensor3D; // [K, B, out]
      const grads: { dw: tf.Tensor; db: tf.Tensor }[] = [];
      for (let l = this.slots.length - 1; l >= 1; l--) {
        const s = this.slots[l]!;
        const hPrev = acts[l - 1]!;
        grads[l] = { dw: tf.matMul(hPrev, dz, true, false), db: tf.sum(dz, 1, true) };
        const dh = tf.matMul(dz, s.w as tf.Tensor3D, false, true);
        dz = tf.mul(dh, tf.step(hPrev)) as tf.Tensor3D; // ReLU'(z) = 1 where the output is > 0
      }
      // Layer 0: back to [B, K·out0] and one 2D matmul with the explicitly transposed input.
      const out0 = this.layers[1]!;
      const dz0 = tf.reshape(tf.transpose(dz, [1, 0, 2]), [batch, k * out0]);
      grads[0] = { dw: tf.matMul(tf.transpose(x), dz0), db: tf.sum(dz0, 0, true) };
      this.slots.forEach((s, l) => {
        const g = grads[l]!;
        adam(s.w, s.mw, s.vw, tf.mul(g.dw, s.mask), stepSize, epsHat, s.mask);
        adam(s.b, s.mb, s.vb, g.db, stepSize, epsHat, null);
      });
      return loss;
    });
  }

  /** Per-variant loss sum and correct count on a batch (labels: [B] int32 class ids). */
  evaluate(x: tf.Tensor2D, labels: tf.Tensor1D): EvalSums {
    return tf.tidy(() => {
      const { acts } = this.forward(x);
      const logits = acts[acts.length - 1]!;
      const logp = tf.logSoftmax(logits);
      const y = tf.oneHot(labels, this.layers[this.layers.length - 1]!);
      const lossSum = tf.neg(tf.sum(tf.mul(logp, y), [1, 2])) as tf.Tensor1D;
      const correct = tf.sum(
        tf.cast(tf.equal(tf.argMax(logits, 2), labels), 'float32'),
        1,
      ) as tf.Tensor1D;
      return { lossSum, correct };
    });
  }

  /** Reads variant v's weight matrices back (asynchronously), each [in, out] row-major. */
  async readWeights(v: number): Promise<Float32Array[]> {
    const data = await Promise.all(this.slots.map((s) => s.w.data() as Promise<Float32Array>));
    return data.map((d, l) => this.unstack(d, l, v));
  }

  /** Reads variant v's biases back. */
  async readBiases(v: number): Promise<Float32Array[]> {
    const data = await Promise.all(this.slots.map((s) => s.b.data() as Promise<Float32Array>));
    return data.map((d, l) => {
      const out = this.layers[l + 1]!;
      return d.slice(v * out, (v + 1) * out);
    });
  }

  dispose(): void {
    for (const s of this.slots)
      for (const t of [s.w, s.b, s.mask, s.mw, s.vw, s.mb, s.vb]) t.dispose();
  }
}

/**
 * Adam (Kingma & Ba) with bias correction folded into the step size and ε:
 * θ ← θ − α_t · m / (√v + ε̂), α_t = lr·√(1−β2^t)/(1−β1^t), ε̂ = ε·√(1−β2^t).
 */
function adam(
  p: tf.Variable,
  m: tf.Variable,
  v: tf.Variable,
  g: tf.Tensor,
  stepSize: number,
  epsHat: number,
  mask: tf.Tensor | null,
): void {
  const m1 = tf.add(tf.mul(m, BETA1), tf.mul(g, 1 - BETA1));
  const v1 = tf.add(tf.mul(v, BETA2), tf.mul(tf.square(g), 1 - BETA2));
  m.assign(m1);
  v.assign(v1);
  const update = tf.div(tf.mul(m1, stepSize), tf.add(tf.sqrt(v1), epsHat));
  // 0/(0+ε̂) is already 0 for a pruned weight, but ε̂ ≈ 3e-10 underflows where a device computes
  // in float16 (some WebGL): the mask makes "exactly 0" independent of ε.
  p.assign(tf.sub(p, mask ? tf.mul(update, mask) : update));
}
