/**
 * The one-shot mask at any P_m (Zhou et al. 2019, "Deconstructing Lottery Tickets", §5): the
 * largest |final weight| of the dense net's trained weights, kept in one step. Applied to θ0 it is
 * the "supermask" (no training at all); applied to the trained weights it is pruning without
 * retraining. Biases are never masked, as in every round of the lab.
 *
 * A continuous P_m follows the run's own schedule: with layer scope each layer keeps what
 * iterative pruning at the run's hidden and output rates would keep after n rounds, n chosen
 * (not necessarily whole) so that the whole net keeps P_m; with global scope one threshold keeps
 * round(P_m · all weights).
 */
import type { ExperimentConfig } from './config';
import { Mask } from './mask';
import { keepLargest, keepLargestPerLayer, layerRates } from './prune';

/** A P_m as a fraction in (0, 1], or a RangeError saying what is wrong in words. */
export function checkPm(pm: number): number {
  if (!Number.isFinite(pm) || pm <= 0 || pm > 1)
    throw new RangeError(`P_m must be above 0% and at most 100%, not ${pm * 100}%`);
  return pm;
}

/**
 * Weights kept per layer at `pm` under layer scope: size_l · (1 − rate_l)^n, rounded, with n ≥ 0
 * the (fractional) number of the run's rounds whose total is closest to pm.
 */
export function oneShotLayerCounts(
  config: ExperimentConfig,
  sizes: readonly number[],
  pm: number,
): number[] {
  checkPm(pm);
  const rates = layerRates(config, sizes.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const kept = (n: number) =>
    sizes.reduce((a, size, l) => a + size * Math.pow(1 - rates[l]!, n), 0) / total;
  let lo = 0;
  let hi = 1;
  while (kept(hi) > pm && hi < 1e6) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (kept(mid) > pm) lo = mid;
    else hi = mid;
  }
  const n = pm === 1 ? 0 : hi;
  return sizes.map((size, l) => Math.round(size * Math.pow(1 - rates[l]!, n)));
}

/** The one-shot mask at `pm` from the dense net's trained weights, by the run's scope. */
export function oneShotMasks(
  config: ExperimentConfig,
  denseTrained: readonly Float32Array[],
  pm: number,
): Mask[] {
  checkPm(pm);
  const sizes = denseTrained.map((w) => w.length);
  const dense = sizes.map((n) => Mask.ones(n));
  if (config.pruning.scope === 'layer')
    return keepLargestPerLayer(denseTrained, dense, oneShotLayerCounts(config, sizes, pm));
  const total = sizes.reduce((a, b) => a + b, 0);
  return keepLargest(denseTrained, dense, Math.round(pm * total));
}

/**
 * How many weights kept their initial sign through training, among those a mask keeps and among
 * those it drops (Zhou et al.: the mask keeps large final weights, and those mostly kept θ0's
 * sign). A weight that is exactly zero at either end has no sign and counts as changed.
 */
export interface SignsKept {
  kept: { same: number; of: number };
  dropped: { same: number; of: number };
}

export function signsKept(
  theta0: readonly Float32Array[],
  trained: readonly Float32Array[],
  masks: readonly Mask[],
): SignsKept {
  const out: SignsKept = { kept: { same: 0, of: 0 }, dropped: { same: 0, of: 0 } };
  masks.forEach((m, l) => {
    const w0 = theta0[l]!;
    const w = trained[l]!;
    for (let i = 0; i < m.size; i++) {
      const side = m.bits[i] ? out.kept : out.dropped;
      side.of++;
      if (w0[i]! * w[i]! > 0) side.same++;
    }
  });
  return out;
}
