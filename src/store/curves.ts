/**
 * Decoding streamed curve batches into per-round, per-variant point lists. Append-only: a batch
 * copies only the arrays it extends, so charts of untouched rounds keep their identity.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import { CURVE_STRIDE } from '../worker/protocol';
import type { RoundView } from './lab-store';

export function decodeCurvePoints(variants: readonly VariantName[], points: Float64Array): { round: number; variant: VariantName; point: CurvePoint }[] {
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

export function appendCurvePoints(rounds: RoundView[], variants: readonly VariantName[], points: Float64Array): RoundView[] {
  const decoded = decodeCurvePoints(variants, points);
  if (decoded.length === 0) return rounds;
  const next = [...rounds];
  for (const { round, variant, point } of decoded) {
    const i = next.findIndex((r) => r.round === round);
    if (i < 0) continue;
    const r = next[i]!;
    next[i] = { ...r, curves: { ...r.curves, [variant]: [...(r.curves[variant] ?? []), point] } };
  }
  return next;
}
