/**
 * Magnitude pruning (paper §2, Appendix G): each round removes the smallest-magnitude weights
 * still alive. Strategies are pure functions in a registry keyed by scope (open_lth style):
 * (config, trained weights, current masks) → new masks. Biases are never pruned.
 *
 * Exact counts. In a round a layer with `alive` weights loses round(rate · alive) of them
 * (layer scope), or all layers together lose round(rate · Σ alive) (global scope). Ties in
 * magnitude are broken by position, so pruning is deterministic.
 */
import type { ExperimentConfig, PruningScope } from './config';
import { Mask, type Masks } from './mask';

/** Per-weight-matrix pruning rates: hidden layers at `rate`, the output layer at `outputRate`. */
export function layerRates(config: ExperimentConfig, layerCount: number): number[] {
  return Array.from({ length: layerCount }, (_, i) =>
    i === layerCount - 1 ? config.pruning.outputRate : config.pruning.rate,
  );
}

/** Weights kept after one round at `rate` from `alive`. */
export function keepAfterRound(alive: number, rate: number): number {
  return alive - Math.round(rate * alive);
}

/** How many weights survive per layer after `rounds` iterative rounds (layer scope). */
export function scheduledLayerCounts(
  config: ExperimentConfig,
  sizes: readonly number[],
  rounds: number,
): number[] {
  const rates = layerRates(config, sizes.length);
  return sizes.map((size, i) => {
    let alive = size;
    for (let r = 0; r < rounds; r++) alive = keepAfterRound(alive, rates[i]!);
    return alive;
  });
}

/** How many weights survive in all after `rounds` iterative rounds (global scope). */
export function scheduledGlobalCount(
  config: ExperimentConfig,
  sizes: readonly number[],
  rounds: number,
): number {
  let alive = sizes.reduce((a, b) => a + b, 0);
  for (let r = 0; r < rounds; r++) alive = keepAfterRound(alive, config.pruning.rate);
  return alive;
}

/**
 * The score below which (and at which, in position order) weights are dropped so that exactly
 * `keep` of the candidates survive. Returns [threshold, how many at the threshold survive].
 */
function threshold(scores: Float32Array, keep: number): [number, number] {
  if (keep >= scores.length) return [-Infinity, 0];
  const sorted = scores.slice().sort();
  const cut = sorted[sorted.length - keep - 1]!; // largest dropped magnitude
  // All strictly above `cut` survive; weights equal to `cut` fill the remaining places by position.
  let above = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]! > cut; i--) above++;
  return [cut, keep - above];
}

/** |w| of every weight: the magnitude criterion's scores. */
export function magnitudes(weights: readonly Float32Array[]): Float32Array[] {
  return weights.map((w) => Float32Array.from(w, Math.abs));
}

/** Keeps the `keep` largest-magnitude alive weights of each layer, in one step. */
export function keepLargestPerLayer(
  weights: readonly Float32Array[],
  masks: Masks,
  keep: readonly number[],
): Mask[] {
  return keepHighestPerLayer(magnitudes(weights), masks, keep);
}

/** Keeps the `keep` largest-magnitude alive weights across all layers, in one step. */
export function keepLargest(weights: readonly Float32Array[], masks: Masks, keep: number): Mask[] {
  return keepHighest(magnitudes(weights), masks, keep);
}

/** Keeps the `keep` highest-scoring alive weights of each layer, in one step. */
export function keepHighestPerLayer(
  scores: readonly Float32Array[],
  masks: Masks,
  keep: readonly number[],
): Mask[] {
  return scores.map((w, l) => keepHighest([w], [masks[l]!], keep[l]!)[0]!);
}

/**
 * Keeps the `keep` highest-scoring alive weights across all layers, in one step (any real
 * scores: a criterion's, or magnitudes). Ties at the cut go to the earlier position.
 */
export function keepHighest(scores: readonly Float32Array[], masks: Masks, keep: number): Mask[] {
  let alive = 0;
  for (const m of masks) alive += m.count;
  if (keep > alive)
    throw new RangeError(`cannot keep ${keep} of ${alive} alive weights: masks only shrink`);
  const candidates = new Float32Array(alive);
  let k = 0;
  scores.forEach((w, l) => {
    const bits = masks[l]!.bits;
    if (w.length !== bits.length)
      throw new RangeError(`layer ${l}: ${w.length} weights but a mask of ${bits.length}`);
    for (let i = 0; i < w.length; i++) if (bits[i]) candidates[k++] = w[i]!;
  });
  const [cut, atCut] = threshold(candidates, keep);
  let tiesLeft = atCut;
  return scores.map((w, l) => {
    const old = masks[l]!.bits;
    const bits = new Uint8Array(old.length);
    for (let i = 0; i < w.length; i++) {
      if (!old[i]) continue;
      const a = w[i]!;
      if (a > cut) bits[i] = 1;
      else if (a === cut && tiesLeft > 0) {
        bits[i] = 1;
        tiesLeft--;
      }
    }
    return new Mask(bits);
  });
}

/**
 * How many weights survive the pruning before `round` (layer scope: per layer; global: in all),
 * from `masks`: one round's rates from the current masks (iterative), or the schedule's counts
 * after `round` rounds from the dense net (one-shot).
 */
export function pruneTargets(
  config: ExperimentConfig,
  masks: Masks,
  round: number,
): { perLayer: number[] } | { total: number } {
  const sizes = masks.map((m) => m.size);
  if (config.pruning.method === 'oneShot')
    return config.pruning.scope === 'layer'
      ? { perLayer: scheduledLayerCounts(config, sizes, round) }
      : { total: scheduledGlobalCount(config, sizes, round) };
  if (config.pruning.scope === 'layer') {
    const rates = layerRates(config, masks.length);
    return { perLayer: masks.map((m, l) => keepAfterRound(m.count, rates[l]!)) };
  }
  const alive = masks.reduce((a, m) => a + m.count, 0);
  return { total: keepAfterRound(alive, config.pruning.rate) };
}

/** Keeps the highest `scores` among `masks`' alive weights, to `targets`' counts. */
export function keepTargets(
  scores: readonly Float32Array[],
  masks: Masks,
  targets: { perLayer: number[] } | { total: number },
): Mask[] {
  return 'perLayer' in targets
    ? keepHighestPerLayer(scores, masks, targets.perLayer)
    : keepHighest(scores, masks, targets.total);
}

export type Pruner = (
  config: ExperimentConfig,
  trained: readonly Float32Array[],
  masks: Masks,
) => Mask[];

/** One iterative round of magnitude pruning, by scope. */
export const PRUNERS: Record<PruningScope, Pruner> = {
  layer: (config, trained, masks) => {
    const rates = layerRates(config, masks.length);
    return keepLargestPerLayer(
      trained,
      masks,
      masks.map((m, l) => keepAfterRound(m.count, rates[l]!)),
    );
  },
  global: (config, trained, masks) => {
    const alive = masks.reduce((a, m) => a + m.count, 0);
    return keepLargest(trained, masks, keepAfterRound(alive, config.pruning.rate));
  },
};

/**
 * One-shot pruning: from the dense net's trained weights straight to the sparsity that `round`
 * iterative rounds would reach (the same per-layer counts with layer scope, the same total with
 * global scope), in a single step.
 */
export function pruneOneShot(
  config: ExperimentConfig,
  denseTrained: readonly Float32Array[],
  round: number,
): Mask[] {
  const sizes = denseTrained.map((w) => w.length);
  const dense = sizes.map((n) => Mask.ones(n));
  return config.pruning.scope === 'layer'
    ? keepLargestPerLayer(denseTrained, dense, scheduledLayerCounts(config, sizes, round))
    : keepLargest(denseTrained, dense, scheduledGlobalCount(config, sizes, round));
}
