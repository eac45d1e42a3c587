/** Which storage a round's layer trains in: dense or sparse, by the density of its masks. */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import { DenseLayer } from './dense-layer';
import type { KernelLayer, LayerShape } from './layer';
import { LitLayer } from './lit-layer';
import { SparseLayer } from './sparse-layer';

/**
 * How a layer is stored: chosen by its density (`auto`), or forced (tests, the benchmark); `lit`
 * is the first layer's input-major storage for the lit pixels (lit-layer.ts).
 */
export type LayerStorage = 'auto' | 'dense' | 'sparse' | 'lit';

/**
 * Below these densities a layer trains sparse, where it is measured no slower than dense:
 * bench/crossover.ts times a K = 3 step with one layer forced each way and the others dense
 * (fused multiply-add build, one thread, CPU time, the machine shared). The first layer (784×300,
 * 88% of a step's arithmetic): dense 6.6 ms at any density; sparse 7.3 at 0.7, 6.3 at 0.6, 5.3
 * at 0.5, 2.9 at 0.2. The hidden (300×100) and output (100×10) layers are a sliver of a step:
 * their two storages differ by less than the windows' spread (±0.3 ms) at every density, and they
 * keep the crossover measured before (0.55).
 */
export const SPARSE_BELOW = { first: 0.6, hidden: 0.55, output: 0.55 } as const;

/** The crossover for layer l of `layers` weight layers. */
export function sparseBelow(l: number, layers: number): number {
  return l === 0
    ? SPARSE_BELOW.first
    : l === layers - 1
      ? SPARSE_BELOW.output
      : SPARSE_BELOW.hidden;
}

/**
 * Below this density the first layer trains sparse rather than through the lit pixels. The lit
 * layer costs the same at any density (its Adam pass covers every weight), the sparse one what
 * survives: measured in one process, K = 3 at the lecture's round masks, two threads, wall time
 * per step (bench/kprof-style timing, quiet machine), lit against sparse: 1.56 against 1.65 ms at
 * round 6 (26% of the first layer's weights), 1.52 against 1.44 at round 7 (21%).
 */
export const LIT_SPARSE_BELOW = 0.24;

/**
 * The layer storage for a round: sparse when its survivors are few enough (or when forced), and
 * only when every variant keeps as many (the sparse layout holds one count for all): a round with
 * dense variants beside the ticket (a bimodal init's) trains dense. Where the trainer reads the
 * batch as lit pixels (`litBatch`: the fused multiply-add build, on sparse inputs), a first layer
 * that would train dense trains lit instead, and so does one sparse storage would not beat.
 */
export function layerFor(
  arena: Arena,
  shape: LayerShape,
  starts: readonly VariantStart[],
  l: number,
  mode: LayerStorage = 'auto',
  litBatch: { bs: number } | null = null,
): KernelLayer {
  const count = starts[0]!.masks[l]!.count;
  const density = count / (shape.inn * shape.out);
  const same = starts.every((s) => s.masks[l]!.count === count);
  const below = sparseBelow(l, starts[0]!.masks.length);
  const litOk = l === 0 && litBatch !== null;
  if (mode === 'lit' && !litOk) throw new RangeError(`layer ${l} cannot train lit here`);
  const lit =
    mode === 'lit' || (mode === 'auto' && litOk && (!same || density >= LIT_SPARSE_BELOW));
  if (lit) return new LitLayer(arena, shape, starts.length, litBatch!.bs);
  const sparse = mode === 'sparse' || (mode === 'auto' && same && density < below);
  return sparse
    ? new SparseLayer(arena, shape, starts.length, count)
    : new DenseLayer(arena, shape, starts.length);
}
