/**
 * Engine results reshaped into the events the page receives: summaries without the bulk, and
 * histograms as typed arrays that transfer instead of copying.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RoundResult } from '../engine/experiment';
import { fingerprint } from '../engine/rng';
import type { RoundSummary, VariantHistograms } from './protocol';

/** θ0 uploaded to the backend and read back: proves the device holds the same bits. */
export async function deviceFingerprint(weights: Float32Array[]): Promise<string> {
  const tensors = weights.map((w) => tf.tensor1d(w));
  try {
    return fingerprint((await Promise.all(tensors.map((t) => t.data()))) as Float32Array[]);
  } finally {
    tf.dispose(tensors);
  }
}

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
