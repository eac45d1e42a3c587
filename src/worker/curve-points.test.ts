/** The curve batch's wire format: one pack/unpack pair, and batches merged without reordering. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VariantName } from '../engine/config';
import type { CurvePoint } from '../engine/metrics';
import {
  CURVE_COLUMNS,
  CURVE_STRIDE,
  mergeCurveBatches,
  packCurvePoint,
  unpackCurvePoints,
} from './curve-points';
import type { LabEvent, Progress } from './protocol';

describe('packCurvePoint / unpackCurvePoints', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const curvePoint = fc.record<CurvePoint>({
    iteration: fc.nat(),
    trainLoss: finite,
    validationLoss: finite,
    validationAccuracy: finite,
    testAccuracy: finite,
  });

  it('round-trips any points, in order, column by column as CURVE_COLUMNS names them', () => {
    const variants: VariantName[] = ['ticket', 'reinit', 'rearrange'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ round: fc.nat(30), v: fc.nat(2), point: curvePoint })),
        (points) => {
          const packed: number[] = [];
          for (const p of points) packCurvePoint(packed, p.round, p.v, p.point);
          expect(packed).toHaveLength(points.length * CURVE_STRIDE);
          const back = unpackCurvePoints(variants, Float64Array.from(packed));
          expect(back).toEqual(
            points.map((p) => ({ round: p.round, variant: variants[p.v], point: p.point })),
          );
        },
      ),
    );
    const one: number[] = [];
    const point = {
      iteration: 10,
      trainLoss: 1,
      validationLoss: 2,
      validationAccuracy: 0.5,
      testAccuracy: 0.25,
    };
    packCurvePoint(one, 3, 1, point);
    expect(one).toEqual(
      CURVE_COLUMNS.map((c) => (c === 'round' ? 3 : c === 'variant' ? 1 : point[c])),
    );
  });

  it('skips a point of a variant the batch does not list, and refuses a torn batch', () => {
    const packed: number[] = [];
    packCurvePoint(packed, 1, 5, {
      iteration: 0,
      trainLoss: 1,
      validationLoss: 1,
      validationAccuracy: 0,
      testAccuracy: 0,
    });
    expect(unpackCurvePoints(['ticket'], Float64Array.from(packed))).toEqual([]);
    expect(() => unpackCurvePoints(['ticket'], new Float64Array(CURVE_STRIDE - 1))).toThrow(
      'corrupt curve batch',
    );
  });
});

describe('mergeCurveBatches', () => {
  const progress = (iteration: number): Progress => ({
    round: 1,
    iteration,
    iterations: 20,
    examplesPerSecond: 100,
  });
  const batch = (variants: VariantName[], points: number[], p: Progress | null): LabEvent => ({
    type: 'curvePoints',
    variants,
    points: Float64Array.from(points),
    progress: p,
  });
  const point = (round: number, variant: number, iteration: number) => [
    round,
    variant,
    iteration,
    2,
    2,
    0.5,
    0.5,
  ];

  it('merges consecutive curve batches of the same variants into one, in order', () => {
    const merged = mergeCurveBatches([
      batch(['ticket', 'reinit'], [...point(1, 0, 0), ...point(1, 1, 0)], progress(0)),
      batch(['ticket', 'reinit'], point(1, 1, 10), progress(10)),
      batch(['ticket', 'reinit'], point(1, 0, 20), null),
    ]);
    expect(merged).toEqual([
      batch(
        ['ticket', 'reinit'],
        [...point(1, 0, 0), ...point(1, 1, 0), ...point(1, 1, 10), ...point(1, 0, 20)],
        progress(10),
      ),
    ]);
  });

  it('keeps batches of other variants, and any other event, apart and in order', () => {
    const done: LabEvent = { type: 'state', state: 'done' };
    const started: LabEvent = {
      type: 'roundStarted',
      round: 1,
      variants: ['ticket', 'reinit'],
      remaining: 0.8,
      remainingByLayer: [0.8, 0.8, 0.9],
    };
    const events = [
      batch(['ticket'], point(0, 0, 20), progress(20)),
      started,
      batch(['ticket', 'reinit'], point(1, 0, 0), progress(0)),
      batch(['ticket'], point(0, 0, 30), null),
      done,
      batch(['ticket'], point(0, 0, 40), null),
    ];
    expect(mergeCurveBatches(events)).toEqual(events);
    expect(mergeCurveBatches([])).toEqual([]);
  });
});
