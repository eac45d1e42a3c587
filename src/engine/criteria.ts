/**
 * Mask criteria (issue 16): what decides which alive weights a round keeps. A registry of scores,
 * higher kept, as Zhou et al. 2019 ("Deconstructing Lottery Tickets") and Frankle et al. 2021
 * ("Pruning Neural Networks at Initialization: Why Are We Missing the Mark?") compare them:
 *  - magnitude: |w_final|, the paper's (Zhou's `large_final`), the default;
 *  - magnitude_increase: |w_final| − |w_init|;
 *  - movement: |w_final − w_init|;
 *  - large_init: |w_init|;
 *  - snip: |∂L/∂w · w| at initialisation on one batch (Lee et al. 2019);
 *  - synflow: |∂R/∂w · w| with R = 1ᵀ(∏|W_l|)1, data-free, re-scored over several sub-steps
 *    (Tanaka et al. 2020).
 * w_init is what the survivors reset to (θ0, or the rewind weights); the last three look only at
 * it, so their masks are chosen before any training. Counts are the run's schedule either way.
 */
import type { CriterionName, ExperimentConfig } from './config';
import { type Dataset } from './data';
import type { Params } from './init';
import { type Mask, type Masks } from './mask';
import { keepTargets, magnitudes, pruneTargets } from './prune';
import { snipGradients, synflowScores } from './saliency';

/** What a criterion may look at. */
export interface ScoreInputs {
  /** The layer widths, input first. */
  layers: readonly number[];
  /** The trained weights (the last round's ticket; the dense net's for one-shot). */
  trained: readonly Float32Array[];
  /** What survivors reset to: θ0, or the rewind weights. */
  start: Params;
  /** The alive weights to choose among. */
  masks: Masks;
  /** The training data and the batch SNIP scores on (the trial's first). */
  data: Dataset;
  batch: Uint32Array;
}

type Score = (i: ScoreInputs) => Float32Array[];

const map = (
  a: readonly Float32Array[],
  b: readonly Float32Array[],
  f: (x: number, y: number) => number,
) => a.map((w, l) => Float32Array.from(w, (x, i) => f(x, b[l]![i]!)));

export const SCORES: Record<CriterionName, Score> = {
  magnitude: (i) => magnitudes(i.trained),
  magnitude_increase: (i) => map(i.trained, i.start.weights, (w, w0) => Math.abs(w) - Math.abs(w0)),
  movement: (i) => map(i.trained, i.start.weights, (w, w0) => Math.abs(w - w0)),
  large_init: (i) => magnitudes(i.start.weights),
  snip: (i) => {
    const grads = snipGradients(i.start, i.masks, i.data.train, i.batch);
    return map(grads, i.start.weights, (g, w0) => Math.abs(g * w0));
  },
  synflow: (i) => synflowScores(i.layers, i.start.weights, i.masks),
};

/** SynFlow re-scores as it prunes: this many sub-steps per pruning, geometric in the counts. */
export const SYNFLOW_STEPS = 20;

/** Counts between `from` and `to` after `s` of `steps` geometric sub-steps (exact at the end). */
function between(from: number, to: number, s: number, steps: number): number {
  if (s === steps || from === 0) return to;
  return Math.max(to, Math.round(from * (Math.max(to, 1) / from) ** (s / steps)));
}

/**
 * The masks of the next round by the config's criterion: from `inputs.masks` to the counts of
 * `round` (pruneTargets: one round's rates iteratively, the schedule's counts one-shot, where
 * `inputs.masks` are the dense net's).
 */
export function pruneByCriterion(
  config: ExperimentConfig,
  inputs: ScoreInputs,
  round: number,
): Mask[] {
  const criterion = config.pruning.criterion;
  const targets = pruneTargets(config, inputs.masks, round);
  if (criterion !== 'synflow') return keepTargets(SCORES[criterion](inputs), inputs.masks, targets);
  // SynFlow avoids cutting a layer off by pruning in small steps, scoring again after each.
  let masks: Masks = inputs.masks;
  for (let s = 1; s <= SYNFLOW_STEPS; s++) {
    const step =
      'perLayer' in targets
        ? {
            perLayer: targets.perLayer.map((t, l) =>
              between(inputs.masks[l]!.count, t, s, SYNFLOW_STEPS),
            ),
          }
        : {
            total: between(
              inputs.masks.reduce((a, m) => a + m.count, 0),
              targets.total,
              s,
              SYNFLOW_STEPS,
            ),
          };
    masks = keepTargets(SCORES.synflow({ ...inputs, masks }), masks, step);
  }
  return [...masks];
}
