/** Which storage a round's layer trains in: dense or sparse, by the density of its masks. */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import { DenseLayer } from './dense-layer';
import type { KernelLayer, LayerShape } from './layer';
import { SparseLayer } from './sparse-layer';

/** How a layer is stored: chosen by its density (`auto`), or forced (tests, the benchmark). */
export type LayerStorage = 'auto' | 'dense' | 'sparse';

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
 * The layer storage for a round: sparse when its survivors are few enough (or when forced), and
 * only when every variant keeps as many (the sparse layout holds one count for all): a round with
 * dense variants beside the ticket (a bimodal init's) trains dense.
 */
export function layerFor(
  arena: Arena,
  shape: LayerShape,
  starts: readonly VariantStart[],
  l: number,
  mode: LayerStorage = 'auto',
): KernelLayer {
  const count = starts[0]!.masks[l]!.count;
  const density = count / (shape.inn * shape.out);
  const same = starts.every((s) => s.masks[l]!.count === count);
  const below = sparseBelow(l, starts[0]!.masks.length);
  const sparse = mode === 'sparse' || (mode === 'auto' && same && density < below);
  return sparse
    ? new SparseLayer(arena, shape, starts.length, count)
    : new DenseLayer(arena, shape, starts.length);
}
