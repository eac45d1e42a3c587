/**
 * A round's trained weights as the run history keeps them (issue 16): trial 0's variants, in the
 * round's order, inside the round's record (an optional field: no schema change, and a history
 * without it opens as before). θ0 is already in the run's state record.
 *
 * Survivors only: a variant's trained values at its mask's ones, in position order (a pruned
 * weight is exactly 0 after training, so nothing is lost). The masks are known: the ticket's are
 * the record's own `masks`; a control whose masks equal the ticket's (reinit) stores none; the
 * others (rearrange, random) store theirs, bit-packed. Float32, not float16: float16 keeps ~3
 * significant digits, enough to draw but not to give the accuracies the run measured, and the
 * slider's 100% point is checked against exactly those.
 */
import type { VariantName } from '../engine/config';
import type { Params } from '../engine/init';
import { Mask } from '../engine/mask';
import { packBits, unpackBits } from '../formats/bits';

export interface StoredWeights {
  variants: VariantName[];
  /** Per variant: its masks bit-packed, or null where they are the ticket's (the record's). */
  masks: (Uint8Array[] | null)[];
  /** Per variant, per weight matrix: the trained values of its survivors, in position order. */
  survivors: Float32Array[][];
  biases: Float32Array[][];
}

/** One round's variants: their masks and trained weights (the keeper's KeptRound, stored). */
export interface RoundWeights {
  variants: readonly VariantName[];
  masks: readonly (readonly Mask[])[];
  trained: readonly Params[];
}

function survivorsOf(w: Float32Array, m: Mask): Float32Array {
  const out = new Float32Array(m.count);
  let k = 0;
  for (let i = 0; i < w.length; i++) if (m.bits[i]) out[k++] = w[i]!;
  return out;
}

export function storedWeights(r: RoundWeights): StoredWeights {
  const ticket = r.masks[0]!;
  return {
    variants: [...r.variants],
    masks: r.masks.map((ms, v) =>
      v === 0 || ms.every((m, l) => m.equals(ticket[l]!)) ? null : ms.map((m) => packBits(m.bits)),
    ),
    survivors: r.trained.map((p, v) => p.weights.map((w, l) => survivorsOf(w, r.masks[v]![l]!))),
    biases: r.trained.map((p) => p.biases.map((b) => b.slice())),
  };
}

/** The stored weights back as masks and full weight arrays; `ticketMasks`: the record's. */
export function roundWeightsOf(s: StoredWeights, ticketMasks: readonly Uint8Array[]): RoundWeights {
  const masks = s.masks.map((packed) =>
    ticketMasks.map((t, l) => new Mask(packed ? unpackBits(packed[l]!, t.length) : t.slice())),
  );
  const trained = s.survivors.map((layers, v) => ({
    weights: layers.map((values, l) => {
      const m = masks[v]![l]!;
      if (values.length !== m.count)
        throw new RangeError(
          `${s.variants[v]}, layer ${l}: ${values.length} stored survivors for a mask of ${m.count}`,
        );
      const w = new Float32Array(m.size);
      let k = 0;
      for (let i = 0; i < m.size; i++) if (m.bits[i]) w[i] = values[k++]!;
      return w;
    }),
    biases: s.biases[v]!.map((b) => b.slice()),
  }));
  return { variants: s.variants, masks, trained };
}

/** Bytes the stored weights take (their arrays' contents; the record's small fields aside). */
export function storedWeightsBytes(s: StoredWeights): number {
  let n = 0;
  for (const ms of s.masks) for (const m of ms ?? []) n += m.byteLength;
  for (const layers of [...s.survivors, ...s.biases]) for (const a of layers) n += a.byteLength;
  return n;
}

/** A round record's weights, with its round and its ticket's masks unpacked; null: none kept. */
export function keptWeightsOf(r: {
  round: number;
  masks: Uint8Array[] | null;
  maskSizes: number[] | null;
  weights?: StoredWeights;
}): (RoundWeights & { round: number }) | null {
  if (!r.weights || !r.masks || !r.maskSizes) return null;
  const ticket = r.masks.map((m, l) => unpackBits(m, r.maskSizes![l]!));
  return { round: r.round, ...roundWeightsOf(r.weights, ticket) };
}
