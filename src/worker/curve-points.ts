/**
 * The wire format of a `curvePoints` batch, in one place: its columns, how a point is packed
 * into a batch (the worker's stream, a replay) and unpacked from one (the page's store), and how
 * batches that arrive together become one (the page's coalescing, a replay's due events).
 *
 * A batch is one transferable Float64Array of CURVE_STRIDE numbers per point; its `variant`
 * column indexes the event's `variants` list, so a batch names each variant once.
 */
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import type { LabEvent } from './protocol';

/** What each point's numbers mean, in order: where it belongs, then the evaluation itself. */
export const CURVE_COLUMNS = [
  'round',
  'variant',
  'iteration',
  'trainLoss',
  'validationLoss',
  'validationAccuracy',
  'testAccuracy',
] as const;
export const CURVE_STRIDE = CURVE_COLUMNS.length;

/** The columns that are the evaluation's own fields (all of a CurvePoint's, in order). */
const POINT_COLUMNS = CURVE_COLUMNS.slice(2) as readonly (keyof CurvePoint)[];

export type CurvePointsEvent = Extract<LabEvent, { type: 'curvePoints' }>;

/** One point of a batch: its round, its variant, its evaluation. */
export interface StreamedPoint {
  round: number;
  variant: VariantName;
  point: CurvePoint;
}

/** Appends one point to a batch being built; `variantIndex` indexes the batch's variant list. */
export function packCurvePoint(
  into: number[],
  round: number,
  variantIndex: number,
  point: CurvePoint,
): void {
  into.push(round, variantIndex);
  for (const c of POINT_COLUMNS) into.push(point[c]);
}

/** A batch's points, in order; a point whose variant index is not in `variants` is skipped. */
export function unpackCurvePoints(
  variants: readonly VariantName[],
  points: Float64Array,
): StreamedPoint[] {
  if (points.length % CURVE_STRIDE !== 0) throw new Error('corrupt curve batch');
  const out: StreamedPoint[] = [];
  for (let i = 0; i < points.length; i += CURVE_STRIDE) {
    const variant = variants[points[i + 1]!];
    if (variant === undefined) continue;
    const point = {} as CurvePoint;
    POINT_COLUMNS.forEach((c, k) => (point[c] = points[i + 2 + k]!));
    out.push({ round: points[i]!, variant, point });
  }
  return out;
}

/** Points in a batch. */
export const pointCount = (e: CurvePointsEvent): number => e.points.length / CURVE_STRIDE;

/**
 * Events in order, with each run of consecutive curve batches over the same variant list joined
 * into one batch (the latest progress kept): fewer store updates, the same points in the same
 * order, every other event where it was.
 */
export function mergeCurveBatches(events: readonly LabEvent[]): LabEvent[] {
  const out: LabEvent[] = [];
  let run: CurvePointsEvent[] = [];
  const close = () => {
    if (run.length <= 1) {
      out.push(...run);
      run = [];
      return;
    }
    const points = new Float64Array(run.reduce((n, b) => n + b.points.length, 0));
    let at = 0;
    for (const b of run) {
      points.set(b.points, at);
      at += b.points.length;
    }
    const progress = run.reduceRight<CurvePointsEvent['progress']>((p, b) => p ?? b.progress, null);
    out.push({ ...run[0]!, points, progress });
    run = [];
  };
  for (const e of events) {
    if (e.type !== 'curvePoints') {
      close();
      out.push(e);
      continue;
    }
    if (run.length > 0 && run[0]!.variants.join() !== e.variants.join()) close();
    run.push(e);
  }
  close();
  return out;
}
