/**
 * A batch's activations in the kernels' memory (every layer's H, Hᵀ and dZ for K variants), and
 * how a batch's input gets there: gathered into H[0] for the tiles and sparse rows, or listed as
 * lit pixels for a first layer that reads them (lit-layer.ts).
 */
import { type Batch, sharedBatch } from '../engine/compute';
import type { Arena } from './arena';
import type { SplitAt } from './kernel-compute';
import type { LayerIo } from './layer';
import { type LitLists, allocLitLists } from './lit-layer';
import type { KernelPool } from './pool';

/** Activations of a batch of `bs` (padded) examples: per layer, H, Hᵀ and the gradient dZ. */
export interface ActivationsAt {
  bs: number;
  /** H[l] feature-major [K][widthP][bs]; H[0] is the input, shared unless `own`. */
  h: number[];
  /** Hᵀ[l] example-major (0 where nothing needs it). */
  hT: number[];
  dz: number[];
  /** Bytes between variants of H[l], Hᵀ[l], dZ[l] (0 for a shared input). */
  stride: number[];
  /** The labels, [K][bs] when `own`, else [bs]. */
  labels: number;
  /** Each variant has its own input and labels (its own batch). */
  own: boolean;
  /** The batch as lit pixels, where the first layer may read it so (training batches only). */
  lists: LitLists | null;
}

/**
 * Lays out the activations of K variants over layers of padded `widths`: with `transposed`, the
 * example-major copies a training step's weight gradients read; with `own`, an input per variant;
 * with `lit`, lit-pixel lists for the first layer.
 */
export function layOutActivations(
  a: Arena,
  widths: readonly number[],
  k: number,
  bs: number,
  opts: { transposed: boolean; own: boolean; lit: boolean },
): ActivationsAt {
  const { transposed, own } = opts;
  const stride = widths.map((w, l) => (l === 0 && !own ? 0 : w * bs * 4));
  const size = (l: number) => (l === 0 && !own ? widths[0]! * bs * 4 : k * stride[l]!);
  const last = widths.length - 1;
  return {
    bs,
    h: widths.map((_, l) => a.alloc(size(l))),
    hT: widths.map((_, l) => (transposed && l < last ? a.alloc(size(l)) : 0)),
    dz: widths.map((_, l) => (l === 0 ? 0 : a.alloc(size(l)))),
    stride,
    labels: a.alloc((own ? k : 1) * bs * 4),
    own,
    lists: opts.lit ? allocLitLists(a, bs, own ? k : 1) : null,
  };
}

/** Where layer l reads and writes `acts`. */
export function layerIo(acts: ActivationsAt, l: number): LayerIo {
  return {
    hin: acts.h[l]!,
    hinT: acts.hT[l]!,
    shin: acts.stride[l]!,
    hout: acts.h[l + 1]!,
    houtT: acts.hT[l + 1]!,
    shout: acts.stride[l + 1]!,
    bs: acts.bs,
    ...(l === 0 && acts.lists ? { lit: acts.lists, litOwn: acts.own } : {}),
  };
}

/** The examples of a batch: `n` listed at `idx` of `split` (variant v's at idx + v · `max`). */
export interface BatchInput {
  split: SplitAt;
  idx: number;
  n: number;
  /** Examples laid out per variant's list of indices (own batches). */
  max: number;
  /** The session's byte → input table. */
  lut: number;
}

/**
 * Writes the batch's input where the first layer reads it, for each of the `inputs` inputs (one
 * shared, or one per variant): listed as lit pixels (`first` = 'lit'), or gathered into H[0],
 * with its example-major copy only for a dense first layer (its weight gradient's tile).
 */
export function placeInput(
  pool: KernelPool,
  acts: ActivationsAt,
  input: BatchInput,
  inputs: number,
  first: 'lit' | 'dense' | 'sparse',
): void {
  const { split, idx, n, max, lut } = input;
  for (let v = 0; v < inputs; v++) {
    const labelsOut = acts.labels + v * acts.bs * 4;
    const examples = idx + v * max * 4;
    if (first === 'lit') {
      const lists = acts.lists;
      if (!lists) throw new Error('no lit lists laid out for this batch');
      const at = v * lists.sl;
      pool.run(
        'litPixels',
        [
          split.images,
          split.labels,
          examples,
          n,
          lut,
          split.scale,
          lists.lit + at,
          lists.litVal + at,
          lists.litCount + at,
          lists.background + at,
          labelsOut,
        ],
        acts.bs,
      );
    } else {
      const at = v * acts.stride[0]!;
      pool.run(
        'gather',
        [
          split.images,
          split.labels,
          examples,
          n,
          acts.bs,
          lut,
          split.scale,
          acts.h[0]! + at,
          acts.hT[0] && first === 'dense' ? acts.hT[0] + at : 0,
          labelsOut,
        ],
        acts.bs / 16,
      );
    }
  }
}

/** The batch's lit pixels regrouped pixel by pixel, for the first layer's weight gradient. */
export function placeLitColumns(pool: KernelPool, acts: ActivationsAt, inputs: number): void {
  const lists = acts.lists;
  if (!lists) throw new Error('no lit lists laid out for this batch');
  const { lit, litVal, litCount, sl, colPtr, colB, colVal, sc } = lists;
  pool.run('litColumns', [lit, litVal, litCount, sl, colPtr, colB, colVal, sc, acts.bs], inputs);
}

/**
 * Writes a step's example indices at `idx` (variant v's at idx + v · `max` for own batches);
 * returns how many each variant has. Refuses a batch the layout cannot hold, in words.
 */
export function placeIndices(
  arena: Arena,
  idx: number,
  batch: Batch,
  k: number,
  max: number,
  own: boolean,
): number {
  if (!own) {
    const indices = sharedBatch(batch);
    if (indices.length > max)
      throw new RangeError(`a batch of ${indices.length}, more than the ${max} laid out`);
    arena.u32(idx, indices.length).set(indices);
    return indices.length;
  }
  if (batch instanceof Uint32Array || batch.length !== k)
    throw new RangeError(`a trainer of own batches takes one batch for each of its ${k} variants`);
  const n = batch[0]!.length;
  batch.forEach((b, v) => {
    if (b.length !== n || n > max)
      throw new RangeError(
        `variant ${v}'s batch of ${b.length}: every batch must hold the same ${n} ≤ ${max} examples`,
      );
    arena.u32(idx + v * max * 4, n).set(b);
  });
  return n;
}
