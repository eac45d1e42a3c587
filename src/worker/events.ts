/**
 * Engine results reshaped into the events the page receives: summaries without the bulk, and
 * histograms as typed arrays that transfer instead of copying. No tfjs here: the page uses these
 * too, to show a stored run exactly as a live one.
 */
import type { RoundResult } from '../engine/experiment';
import type { RunRound } from '../engine/trials';
import type { RoundSummary, VariantHistograms } from './protocol';

export function summarize(r: RoundResult): RoundSummary {
  return {
    ...r,
    variants: r.variants.map((v) => {
      const { curve: _curve, histograms: _histograms, pixelSurvivors: _pixels, ...rest } = v;
      return rest;
    }),
  };
}

export function histogramsOf(r: RoundResult): VariantHistograms[] {
  return r.variants.map((v) => ({
    variant: v.variant,
    layers: v.histograms.map((h) => ({
      layer: h.layer,
      edges: Float64Array.from(h.all.edges),
      all: Uint32Array.from(h.all.counts),
      surviving: Uint32Array.from(h.surviving.counts),
    })),
    pixelSurvivors: Uint16Array.from(v.pixelSurvivors),
  }));
}

/**
 * A round over trials as the page keeps it: curves, early stops and summaries, without each
 * trial's histograms and pixel counts (the figures draw trial 0's, which come in their own event;
 * the history keeps every trial's whole).
 */
export function leanRound(r: RunRound): RunRound {
  return {
    ...r,
    trials: r.trials.map((t) => ({
      ...t,
      variants: t.variants.map((v) => ({ ...v, histograms: [], pixelSurvivors: [] })),
    })),
  };
}
