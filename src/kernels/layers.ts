/** Which storage a round's layer trains in: dense or sparse, by the density of its masks. */
import type { VariantStart } from '../engine/init';
import type { Arena } from './arena';
import { DenseLayer } from './dense-layer';
import type { KernelLayer, LayerShape } from './layer';
import { SparseLayer } from './sparse-layer';

/**
 * Below this density a layer trains sparse: measured faster from here down (bench/crossover.ts:
 * dense 10.7 ms a K = 3 step at any density, sparse 10.0 ms at 0.5, 12.2 at 0.64, on one thread
 * here).
 */
export const SPARSE_BELOW = 0.55;

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
  mode: 'auto' | 'dense' | 'sparse' = 'auto',
): KernelLayer {
  const count = starts[0]!.masks[l]!.count;
  const density = count / (shape.inn * shape.out);
  const same = starts.every((s) => s.masks[l]!.count === count);
  const sparse = mode === 'sparse' || (mode === 'auto' && same && density < SPARSE_BELOW);
  return sparse
    ? new SparseLayer(arena, shape, starts.length, count)
    : new DenseLayer(arena, shape, starts.length);
}
