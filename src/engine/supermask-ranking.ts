/**
 * The one-shot mask at any P_m without a sort per P_m (issue 16's slider): the dense net's
 * trained weights are ranked once by |final weight|, largest first, ties by position (as
 * keepHighest breaks them), so the mask at a P_m is the first n of each layer's ranking (layer
 * scope) or of the whole net's (global scope). The same masks as `oneShotMasks` at every P_m
 * (supermask-ranking.test.ts). On LeNet-300-100 the sort cost 50–154 ms a P_m on this project's
 * shared 2-core machine, a prefix 0.4–1 ms (docs/supermask-and-weights.md).
 */
import type { ExperimentConfig } from './config';
import { Mask } from './mask';
import { checkPm, oneShotLayerCounts } from './supermask';

/** Positions up to 2^21 fit beside a float32's 32 bits in a float64's 53-bit mantissa. */
const KEY_POSITION_BITS = 21;

/**
 * Positions 0 … n − 1 of `values` (layers laid end to end) by |value|, largest first, ties to the
 * earlier position. A float32's bits, read as an unsigned integer, order non-negative floats as
 * their values, so one float64 key per weight (its magnitude's rank, then its position) sorts
 * with the typed arrays' numeric sort, no comparator.
 */
function rankByMagnitude(values: readonly Float32Array[]): Uint32Array {
  const n = values.reduce((a, v) => a + v.length, 0);
  const magnitudes = new Float32Array(n);
  let at = 0;
  for (const v of values) for (let i = 0; i < v.length; i++) magnitudes[at++] = Math.abs(v[i]!);
  if (n > 2 ** KEY_POSITION_BITS) {
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    return order.sort((a, b) => magnitudes[b]! - magnitudes[a]! || a - b);
  }
  const bits = new Uint32Array(magnitudes.buffer);
  const keys = new Float64Array(n);
  const shift = 2 ** KEY_POSITION_BITS;
  for (let i = 0; i < n; i++) keys[i] = (0xffffffff - bits[i]!) * shift + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % shift;
  return order;
}

export class MagnitudeRanking {
  private constructor(
    private readonly config: ExperimentConfig,
    private readonly sizes: readonly number[],
    /** Layer scope: one ranking per layer; global scope: one over all layers end to end. */
    private readonly orders: readonly Uint32Array[],
  ) {}

  /** Ranks the dense net's trained weights once, by the run's pruning scope. */
  static of(config: ExperimentConfig, denseTrained: readonly Float32Array[]): MagnitudeRanking {
    const sizes = denseTrained.map((w) => w.length);
    const orders =
      config.pruning.scope === 'layer'
        ? denseTrained.map((w) => rankByMagnitude([w]))
        : [rankByMagnitude(denseTrained)];
    return new MagnitudeRanking(config, sizes, orders);
  }

  /** The one-shot mask at `pm`: what oneShotMasks(config, denseTrained, pm) gives, by prefix. */
  masksAt(pm: number): Mask[] {
    checkPm(pm);
    const bits = this.sizes.map((n) => new Uint8Array(n));
    if (this.config.pruning.scope === 'layer') {
      const counts = oneShotLayerCounts(this.config, this.sizes, pm);
      this.orders.forEach((order, l) => {
        const b = bits[l]!;
        for (let i = 0; i < counts[l]!; i++) b[order[i]!] = 1;
      });
    } else {
      const total = this.sizes.reduce((a, b) => a + b, 0);
      const order = this.orders[0]!;
      const starts = this.sizes.map((_, l) => this.sizes.slice(0, l).reduce((a, b) => a + b, 0));
      const keep = Math.round(pm * total);
      for (let i = 0; i < keep; i++) {
        const p = order[i]!;
        let l = starts.length - 1;
        while (p < starts[l]!) l--;
        bits[l]![p - starts[l]!] = 1;
      }
    }
    return bits.map((b) => new Mask(b));
  }
}
