/**
 * Decoding streamed curve batches into per-round, per-variant point lists. Append-only: a batch
 * copies only the arrays it extends, so charts of untouched rounds keep their identity.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import { CURVE_STRIDE } from '../worker/protocol';
import type { RoundView } from './lab-store';

export function decodeCurvePoints(
  variants: readonly VariantName[],
  points: Float64Array,
): { round: number; variant: VariantName; point: CurvePoint }[] {
  const out: { round: number; variant: VariantName; point: CurvePoint }[] = [];
  for (let i = 0; i + CURVE_STRIDE <= points.length; i += CURVE_STRIDE) {
    const variant = variants[points[i + 1]!];
    if (variant === undefined) continue;
    out.push({
      round: points[i]!,
      variant,
      point: {
        iteration: points[i + 2]!,
        trainLoss: points[i + 3]!,
        validationLoss: points[i + 4]!,
        validationAccuracy: points[i + 5]!,
        testAccuracy: points[i + 6]!,
      },
    });
  }
  return out;
}

export function appendCurvePoints(
  rounds: RoundView[],
  variants: readonly VariantName[],
  points: Float64Array,
): RoundView[] {
  const decoded = decodeCurvePoints(variants, points);
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
