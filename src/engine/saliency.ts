/**
 * The two scores at initialisation that need a pass through the network (criteria.ts), in plain
 * float64 JavaScript: a criterion runs once per round on one batch, so no compute is needed and
 * every backend chooses the same mask.
 */
import { CLASSES, IMAGE_SIZE, type Split, fillBatch } from './data';
import type { Params } from './init';
import type { Masks } from './mask';

/** The masked weights: pruned ones exactly 0. */
function masked(weights: readonly Float32Array[], masks: Masks): Float64Array[] {
  return weights.map((w, l) => {
    const bits = masks[l]!.bits;
    return Float64Array.from(w, (v, i) => (bits[i] ? v : 0));
  });
}

/**
 * ∂L/∂W of the mean cross-entropy of the masked network `params` ⊙ `masks` on `batch` of `split`
 * (ReLU hidden layers, softmax output): SNIP's gradient (Lee et al. 2019), per weight matrix
 * [in, out] row-major.
 */
export function snipGradients(
  params: Params,
  masks: Masks,
  split: Split,
  batch: Uint32Array,
): Float32Array[] {
  const n = batch.length;
  const x = new Float32Array(n * IMAGE_SIZE);
  const y = new Float32Array(n * CLASSES);
  fillBatch(split, batch, x, y);
  const weights = masked(params.weights, masks);
  const widths = [IMAGE_SIZE, ...params.biases.map((b) => b.length)];
  // Forward: acts[l] is layer l's input, n × widths[l].
  const acts: Float64Array[] = [Float64Array.from(x)];
  for (let l = 0; l < weights.length; l++) {
    const [inn, out] = [widths[l]!, widths[l + 1]!];
    const a = acts[l]!;
    const w = weights[l]!;
    const z = new Float64Array(n * out);
    for (let b = 0; b < n; b++) {
      const row = z.subarray(b * out, (b + 1) * out);
      row.set(params.biases[l]!);
      for (let i = 0; i < inn; i++) {
        const v = a[b * inn + i]!;
        if (v === 0) continue;
        const wr = i * out;
        for (let j = 0; j < out; j++) row[j]! += v * w[wr + j]!;
      }
    }
    if (l < weights.length - 1) for (let k = 0; k < z.length; k++) z[k] = Math.max(0, z[k]!);
    acts.push(z);
  }
  // δ of the output: (softmax − one-hot) / n.
  const last = weights.length;
  let delta = new Float64Array(n * CLASSES);
  const logits = acts[last]!;
  for (let b = 0; b < n; b++) {
    let max = -Infinity;
    for (let j = 0; j < CLASSES; j++) max = Math.max(max, logits[b * CLASSES + j]!);
    let sum = 0;
    for (let j = 0; j < CLASSES; j++) sum += Math.exp(logits[b * CLASSES + j]! - max);
    for (let j = 0; j < CLASSES; j++) {
      const p = Math.exp(logits[b * CLASSES + j]! - max) / sum;
      delta[b * CLASSES + j] = (p - y[b * CLASSES + j]!) / n;
    }
  }
  const grads: Float32Array[] = new Array<Float32Array>(last);
  for (let l = last - 1; l >= 0; l--) {
    const [inn, out] = [widths[l]!, widths[l + 1]!];
    const a = acts[l]!;
    const w = weights[l]!;
    const g = new Float64Array(inn * out);
    const back = new Float64Array(n * inn);
    for (let b = 0; b < n; b++) {
      const d = delta.subarray(b * out, (b + 1) * out);
      for (let i = 0; i < inn; i++) {
        const v = a[b * inn + i]!;
        const wr = i * out;
        let s = 0;
        for (let j = 0; j < out; j++) {
          if (v !== 0) g[wr + j]! += v * d[j]!;
          s += w[wr + j]! * d[j]!;
        }
        // Through the ReLU that made this layer's input (its output was > 0 where v > 0).
        back[b * inn + i] = v > 0 ? s : 0;
      }
    }
    grads[l] = Float32Array.from(g);
    delta = back;
  }
  return grads;
}

/**
 * SynFlow's scores (Tanaka et al. 2020): with every weight replaced by |w| (pruned ones 0), no
 * biases and no nonlinearity, R = 1ᵀ(∏|W_l|)1 sums the products along every input-output path;
 * the score of w is |w| · ∂R/∂|w| = (flow into its input) · |w| · (flow out of its output).
 * Data-free. Divided by the largest score of all layers (one factor, so layers stay comparable
 * for global pruning), so float32 holds them at any depth.
 */
export function synflowScores(
  layers: readonly number[],
  weights: readonly Float32Array[],
  masks: Masks,
): Float32Array[] {
  const abs = masked(weights, masks).map((w) => w.map(Math.abs));
  const depth = abs.length;
  // into[l][i]: the summed path products reaching unit i of layer l's input from the ones input.
  const into: Float64Array[] = [new Float64Array(layers[0]!).fill(1)];
  for (let l = 0; l < depth; l++) {
    const [inn, out] = [layers[l]!, layers[l + 1]!];
    const r = new Float64Array(out);
    const a = into[l]!;
    const w = abs[l]!;
    for (let i = 0; i < inn; i++) for (let j = 0; j < out; j++) r[j]! += a[i]! * w[i * out + j]!;
    into.push(r);
  }
  // from[j]: the summed path products from unit j of layer l's output to the ones output.
  let from = new Float64Array(layers[depth]!).fill(1);
  const raw: Float64Array[] = new Array<Float64Array>(depth);
  let top = 0;
  for (let l = depth - 1; l >= 0; l--) {
    const [inn, out] = [layers[l]!, layers[l + 1]!];
    const w = abs[l]!;
    const s = new Float64Array(inn * out);
    const back = new Float64Array(inn);
    for (let i = 0; i < inn; i++)
      for (let j = 0; j < out; j++) {
        const k = i * out + j;
        s[k] = into[l]![i]! * w[k]! * from[j]!;
        back[i]! += w[k]! * from[j]!;
        if (s[k]! > top) top = s[k]!;
      }
    raw[l] = s;
    from = back;
  }
  return raw.map((s) => Float32Array.from(s, (v) => (top > 0 ? v / top : 0)));
}
