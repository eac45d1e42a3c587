/**
 * Decoding streamed curve batches into per-round, per-variant point lists. Append-only: a batch
 * copies only the arrays it extends, so charts of untouched rounds keep their identity.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import { unpackCurvePoints } from '../worker/curve-points';
import type { RoundView } from './types';

export function appendCurvePoints(
  rounds: RoundView[],
  variants: readonly VariantName[],
  points: Float64Array,
): RoundView[] {
  const decoded = unpackCurvePoints(variants, points);
  if (decoded.length === 0) return rounds;
  // Group first, then copy each touched list once per batch (not once per point).
  const groups = new Map<number, Map<VariantName, CurvePoint[]>>();
  for (const { round, variant, point } of decoded) {
    let byVariant = groups.get(round);
    if (!byVariant) groups.set(round, (byVariant = new Map()));
    let list = byVariant.get(variant);
    if (!list) byVariant.set(variant, (list = []));
    list.push(point);
  }
  return rounds.map((r) => {
    const byVariant = groups.get(r.round);
    if (!byVariant) return r;
    const curves = { ...r.curves };
    for (const [variant, added] of byVariant)
      curves[variant] = [...(curves[variant] ?? []), ...added];
    return { ...r, curves };
  });
}
