import { describe, expect, it } from 'vitest';
import type { RoundResult } from '../engine/experiment';
import { CURVES_HEADER, SUMMARIES_HEADER, curvesCsv, summariesCsv } from './csv';
import { tinyRounds } from './formats.testing';

const rows = (csv: string) =>
  csv
    .split('\n')
    .slice(0, -1)
    .map((l) => l.split(','));

describe('CSV of a run', () => {
  const rounds = tinyRounds();

  it('curves: the header, then one row per curve point of every variant of every round', () => {
    const csv = curvesCsv(rounds);
    expect(csv.endsWith('\n')).toBe(true);
    const [header, ...body] = rows(csv);
    expect(header).toEqual([
      'round',
      'remaining',
      'variant',
      'iteration',
      'train_loss',
      'validation_loss',
      'validation_accuracy',
      'test_accuracy',
    ]);
    expect(header).toEqual([...CURVES_HEADER]);
    // Round 0: the ticket alone; rounds 1 and 2: ticket, reinit, random; 3 points each (iterations
    // 0, 10, 20).
    expect(body).toHaveLength((1 + 3 + 3) * 3);
    expect(body.every((r) => r.length === 8)).toBe(true);
    const r = rounds[2]!;
    const v = r.variants[2]!;
    const p = v.curve[1]!;
    const row = body[(1 + 3) * 3 + 2 * 3 + 1]!;
    expect(row).toEqual([
      '2',
      String(r.remaining),
      'random',
      '10',
      String(p.trainLoss),
      String(p.validationLoss),
      String(p.validationAccuracy),
      String(p.testAccuracy),
    ]);
    expect(body.map((x) => x[2])).toEqual([
      ...Array(3).fill('ticket'),
      ...[0, 1].flatMap(() => ['ticket', 'reinit', 'random'].flatMap((n) => Array(3).fill(n))),
    ]);
  });

  it('summaries: one row per variant and round, with the round wall time', () => {
    const [header, ...body] = rows(summariesCsv(rounds));
    expect(header).toEqual([
      'round',
      'remaining',
      'variant',
      'remaining_variant',
      'early_stop_iteration',
      'early_stop_test_accuracy',
      'early_stop_validation_accuracy',
      'final_test_accuracy',
      'round_wall_ms',
    ]);
    expect(header).toEqual([...SUMMARIES_HEADER]);
    expect(body).toHaveLength(1 + 3 + 3);
    const r = rounds[1]!;
    const v = r.variants[1]!;
    expect(body[2]).toEqual([
      '1',
      String(r.remaining),
      'reinit',
      String(v.remaining),
      String(v.earlyStop.iteration),
      String(v.earlyStop.testAccuracy),
      String(v.earlyStop.validationAccuracy),
      String(v.finalTestAccuracy),
      '1235.5',
    ]);
  });

  it('prints numbers in full and nothing for no rounds', () => {
    const round: RoundResult = structuredClone(rounds[0]!);
    round.remaining = 0.1 + 0.2;
    round.variants[0]!.curve = [
      {
        iteration: 0,
        trainLoss: 1e-7,
        validationLoss: 2.302585092994046,
        validationAccuracy: 1 / 3,
        testAccuracy: 0,
      },
    ];
    expect(curvesCsv([round]).split('\n')[1]).toBe(
      '0,0.30000000000000004,ticket,0,1e-7,2.302585092994046,0.3333333333333333,0',
    );
    expect(curvesCsv([])).toBe(`${CURVES_HEADER.join(',')}\n`);
    expect(summariesCsv([])).toBe(`${SUMMARIES_HEADER.join(',')}\n`);
  });
});
