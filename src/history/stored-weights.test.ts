import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config';
import { type Params, weightSizes } from '../engine/init';
import { Mask } from '../engine/mask';
import { scheduledLayerCounts } from '../engine/prune';
import { Rng } from '../engine/rng';
import { packBits } from '../formats/bits';
import { PRESETS } from '../settings/presets';
import {
  type RoundWeights,
  keptWeightsOf,
  storedWeights,
  storedWeightsBytes,
} from './stored-weights';

const LAYERS = [784, 300, 100, 10];

/** Masks keeping `counts[l]` weights at random places, and trained weights 0 where pruned. */
function variant(counts: readonly number[], rng: Rng): { masks: Mask[]; trained: Params } {
  const masks = weightSizes(LAYERS).map((size, l) => {
    const bits = new Uint8Array(size);
    const order = rng.permutation(size);
    for (let i = 0; i < counts[l]!; i++) bits[order[i]!] = 1;
    return new Mask(bits);
  });
  return {
    masks,
    trained: {
      weights: masks.map((m) => Float32Array.from(m.bits, (b) => (b ? rng.normal() : 0))),
      biases: LAYERS.slice(1).map((n) => Float32Array.from({ length: n }, () => rng.normal())),
    },
  };
}

/** A round of ticket, reinit (the ticket's masks) and rearrange (masks of its own). */
function round(counts: readonly number[], seed: number): RoundWeights {
  const rng = new Rng(seed, 'stored-weights');
  const ticket = variant(counts, rng);
  const reinit = { masks: ticket.masks, trained: variant(counts, rng).trained };
  const rearrange = variant(counts, rng);
  const reinitTrained = {
    weights: reinit.trained.weights.map((w, l) =>
      w.map((x, i) => (ticket.masks[l]!.bits[i] ? x || 1 : 0)),
    ),
    biases: reinit.trained.biases,
  };
  return {
    variants: ['ticket', 'reinit', 'rearrange'],
    masks: [ticket.masks, reinit.masks, rearrange.masks],
    trained: [ticket.trained, reinitTrained, rearrange.trained],
  };
}

describe('trained weights in the run history', () => {
  it('store survivors only and read back bit for bit, masks included', () => {
    const r = round([50_000, 6_000, 900], 1);
    const s = storedWeights(r);
    expect(s.masks[0]).toBeNull();
    expect(s.masks[1]).toBeNull(); // reinit: the ticket's masks, not stored twice
    expect(s.masks[2]).not.toBeNull();
    expect(s.survivors[0]!.map((a) => a.length)).toEqual([50_000, 6_000, 900]);
    const record = {
      round: 3,
      masks: r.masks[0]!.map((m) => packBits(m.bits)),
      maskSizes: weightSizes(LAYERS),
      weights: structuredClone(s),
    };
    const back = keptWeightsOf(record)!;
    expect(back.round).toBe(3);
    expect(back.variants).toEqual(r.variants);
    back.masks.forEach((ms, v) =>
      ms.forEach((m, l) => expect(m.equals(r.masks[v]![l]!)).toBe(true)),
    );
    expect(back.trained).toEqual(r.trained);
    // A record stored before weights were kept has none.
    expect(keptWeightsOf({ ...record, weights: undefined })).toBeNull();
  });

  it('refuses survivors that do not fit their mask, in words', () => {
    const r = round([100, 100, 100], 2);
    const s = storedWeights(r);
    s.survivors[2]![1] = new Float32Array(99);
    const record = {
      round: 1,
      masks: r.masks[0]!.map((m) => packBits(m.bits)),
      maskSizes: weightSizes(LAYERS),
      weights: s,
    };
    expect(() => keptWeightsOf(record)).toThrow(
      /rearrange, layer 1: 99 stored survivors for a mask of 100/,
    );
  });

  it('a Lecture-preset run stores about 13 MB of weights (trial 0, survivors only)', () => {
    const lecture = PRESETS.find((p) => p.id === 'lecture')!.settings({
      config: DEFAULT_CONFIG,
      backend: 'auto',
    }).config;
    const sizes = weightSizes(LAYERS);
    let bytes = 0;
    for (let r = 0; r <= lecture.pruning.rounds; r++) {
      const counts = scheduledLayerCounts(lecture, sizes, r);
      const w = round(counts, r);
      // Round 0 trains the dense net alone; pruned rounds the ticket and its controls.
      const kept =
        r === 0
          ? {
              ...w,
              variants: w.variants.slice(0, 1),
              masks: w.masks.slice(0, 1),
              trained: w.trained.slice(0, 1),
            }
          : w;
      expect(kept.variants.length).toBe(r === 0 ? 1 : 1 + lecture.pruning.controls.length);
      bytes += storedWeightsBytes(storedWeights(kept));
    }
    console.log(`Lecture preset: ${bytes} bytes of trained weights stored`);
    expect(bytes).toBeGreaterThan(12e6);
    expect(bytes).toBeLessThan(14e6);
  });
});
