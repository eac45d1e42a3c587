/**
 * θ0 and the controls' starting points (paper §2 and §3: "random reinitialization",
 * "random sparse" / rearranged connections; Appendix F for random pruning).
 */
import type { BimodalName, ControlName } from './config';
import { Mask, type Masks } from './mask';
import { Rng } from './rng';

/**
 * A network's parameters as plain arrays: weights[l] is [in, out] row-major, biases[l] is [out].
 */
export interface Params {
  weights: Float32Array[];
  biases: Float32Array[];
}

/** Sizes of the weight matrices of an MLP with these layer widths. */
export function weightSizes(layers: readonly number[]): number[] {
  return layers.slice(1).map((out, l) => layers[l]! * out);
}

/** Gaussian Glorot (Xavier normal): N(0, 2 / (fan_in + fan_out)). */
export function glorotStd(fanIn: number, fanOut: number): number {
  return Math.sqrt(2 / (fanIn + fanOut));
}

/** Draws Gaussian Glorot weights and zero biases from `rng`. */
export function glorotNormal(layers: readonly number[], rng: Rng): Params {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const fanIn = layers[l]!;
    const fanOut = layers[l + 1]!;
    const std = glorotStd(fanIn, fanOut);
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
    weights.push(w);
    biases.push(new Float32Array(fanOut));
  }
  return { weights, biases };
}

/** θ0: the initial weights of the run, a pure function of the layer widths and the seed. */
export function initialParams(layers: readonly number[], seed: number): Params {
  return glorotNormal(layers, new Rng(seed, 'theta0'));
}

export function cloneParams(p: Params): Params {
  return { weights: p.weights.map((w) => w.slice()), biases: p.biases.map((b) => b.slice()) };
}

/** `source` with every pruned weight set to exactly zero. */
export function applyMasks(source: Params, masks: Masks): Params {
  return {
    weights: source.weights.map((w, l) => {
      const bits = masks[l]!.bits;
      const out = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) if (bits[i]) out[i] = w[i]!;
      return out;
    }),
    biases: source.biases.map((b) => b.slice()),
  };
}

/** A starting point of one variant of a round: its mask and the values of its survivors. */
export interface VariantStart {
  masks: Mask[];
  params: Params;
}

/** A random mask per layer with the same count of survivors as `masks`. */
function randomMasksLike(masks: Masks, rng: Rng): Mask[] {
  return masks.map((m) => {
    const bits = new Uint8Array(m.size);
    const order = rng.permutation(m.size);
    for (let i = 0; i < m.count; i++) bits[order[i]!] = 1;
    return new Mask(bits);
  });
}

/**
 * The controls. `source` is what the ticket resets to (θ0, or the rewind weights), `masks` the
 * ticket's masks this round, `rng` a stream private to this round and control.
 *  - reinit: the same mask, a whole fresh draw from the init distribution (Glorot weights, zero
 *    biases), also under rewinding: the control asks whether the *values* matter.
 *  - rearrange: the ticket's surviving starting values, placed at random positions in the same
 *    layer: per-layer counts and the multiset of values are kept, the connections are not.
 *  - random: a random mask with the same per-layer counts, the source's values at those positions.
 *  - signed: the same mask, fresh Glorot magnitudes with the source's signs (Zhou et al. 2019:
 *    the signs, not the values, are what a ticket needs from θ0).
 */
export function controlStart(
  control: ControlName,
  layers: readonly number[],
  source: Params,
  masks: Masks,
  rng: Rng,
): VariantStart {
  switch (control) {
    case 'reinit': {
      return { masks: [...masks], params: applyMasks(glorotNormal(layers, rng), masks) };
    }
    case 'rearrange': {
      const newMasks = randomMasksLike(masks, rng);
      const weights = source.weights.map((w, l) => {
        const values: number[] = [];
        const bits = masks[l]!.bits;
        for (let i = 0; i < w.length; i++) if (bits[i]) values.push(w[i]!);
        rng.shuffle(values);
        const out = new Float32Array(w.length);
        const nb = newMasks[l]!.bits;
        let k = 0;
        for (let i = 0; i < w.length; i++) if (nb[i]) out[i] = values[k++]!;
        return out;
      });
      return { masks: newMasks, params: { weights, biases: source.biases.map((b) => b.slice()) } };
    }
    case 'random': {
      const newMasks = randomMasksLike(masks, rng);
      return { masks: newMasks, params: applyMasks(source, newMasks) };
    }
    case 'signed': {
      const fresh = applyMasks(glorotNormal(layers, rng), masks);
      fresh.weights.forEach((w, l) => {
        const s = source.weights[l]!;
        const bits = masks[l]!.bits;
        // A survivor whose source is exactly 0 has no sign to keep: it keeps its fresh one.
        for (let i = 0; i < w.length; i++)
          if (bits[i] && s[i]! !== 0) w[i] = s[i]! < 0 ? -Math.abs(w[i]!) : Math.abs(w[i]!);
      });
      return { masks: [...masks], params: fresh };
    }
  }
}

/**
 * The dense nets of a bimodal init (config `model.init`): every weight of layer l drawn, with
 * replacement, from the starting values of the ticket's survivors in layer l (`source` at
 * `masks`), as they are ('bimodal') or scaled so their root mean square is Glorot's deviation
 * ('bimodal-glorot': the same variance as θ0, so only the shape differs). Zero biases, no mask.
 */
export function bimodalStart(
  kind: BimodalName,
  layers: readonly number[],
  source: Params,
  masks: Masks,
  rng: Rng,
): VariantStart {
  const weights = source.weights.map((w, l) => {
    const bits = masks[l]!.bits;
    const values: number[] = [];
    for (let i = 0; i < w.length; i++) if (bits[i]) values.push(w[i]!);
    if (values.length === 0)
      throw new RangeError(`layer ${l} has no survivors to draw a bimodal init from`);
    const rms = Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
    const scale =
      kind === 'bimodal-glorot' && rms > 0 ? glorotStd(layers[l]!, layers[l + 1]!) / rms : 1;
    const out = new Float32Array(w.length);
    for (let i = 0; i < out.length; i++) out[i] = values[rng.int(values.length)]! * scale;
    return out;
  });
  return {
    masks: weights.map((w) => Mask.ones(w.length)),
    params: { weights, biases: source.biases.map((b) => new Float32Array(b.length)) },
  };
}

/** The ticket's start: the source's values at the ticket's mask. */
export function ticketStart(source: Params, masks: Masks): VariantStart {
  return { masks: [...masks], params: applyMasks(source, masks) };
}
