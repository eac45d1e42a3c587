import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig } from '../src/engine/config';
import type { ExperimentResult, VariantResult } from '../src/engine/experiment';
import { iterationsToThreshold } from '../src/engine/trials';
import { tinyTrialsRunFile } from '../src/formats/formats.testing';
import { resultTable, speedTable, summaryTable } from './table';

const variant = (name: VariantResult['variant'], accs: number[], es: number): VariantResult => ({
  variant: name,
  remaining: 0.8,
  remainingByLayer: [0.8],
  curve: accs.map((a, i) => ({
    iteration: i * 100,
    trainLoss: 1,
    validationLoss: 1,
    validationAccuracy: a,
    testAccuracy: a - 0.01,
  })),
  earlyStop: { iteration: es, validationAccuracy: 0.97, testAccuracy: 0.9712 },
  finalTestAccuracy: 0.98,
  histograms: [],
  pixelSurvivors: [],
});

const result: ExperimentResult = {
  config: DEFAULT_CONFIG,
  wallMs: 1000,
  rounds: [
    {
      round: 0,
      remaining: 1,
      remainingByLayer: [1],
      wallMs: 35_000,
      examplesPerSecond: 1,
      variants: [variant('ticket', [0.5, 0.96, 0.971], 200)],
    },
    {
      round: 1,
      remaining: 0.8,
      remainingByLayer: [0.8],
      wallMs: 143_000,
      examplesPerSecond: 1,
      variants: [
        variant('ticket', [0.5, 0.972, 0.98], 100),
        variant('reinit', [0.5, 0.9, 0.95], 200),
      ],
    },
  ],
};

describe('result tables', () => {
  it('iterationsToThreshold is the first evaluation at or above the threshold, or null', () => {
    expect(iterationsToThreshold(result.rounds[1]!.variants[0]!.curve, 0.97)).toBe(100);
    expect(iterationsToThreshold(result.rounds[0]!.variants[0]!.curve, 0.97)).toBe(200);
    expect(iterationsToThreshold(result.rounds[1]!.variants[1]!.curve, 0.97)).toBeNull();
  });

  it('render one row per round, a dash where a variant did not train, and the wall time', () => {
    const rows = resultTable(result).trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('reinit: early stop');
    // Before training: the curve's first point (its test accuracy, 0.50 − 0.01).
    expect(rows[2]).toBe('| 0 | 100.0% | 49.00% | 200 | 97.12% | 98.00% | — | — | — | — | 35 s |');
    // Rewound rounds start from weights the dense run trained: not "before training".
    const rewound = mergeConfig(DEFAULT_CONFIG, {
      pruning: { reset: { kind: 'rewind', iteration: 100 } },
    });
    expect(resultTable({ ...result, config: rewound }).split('\n')[0]).toContain(
      'ticket: test acc at iteration 100 (rewound)',
    );
    expect(resultTable({ ...result, config: rewound })).not.toContain('before training');
    expect(speedTable(result, 0.97).trim().split('\n')[3]).toBe(
      '| 1 | 80.0% | 100 | not reached |',
    );
  });
});

describe('summaryTable', () => {
  it('gives mean ± sd over trials and the ticket against each control, paired by seed, with its verdict', () => {
    const run = tinyTrialsRunFile(3);
    const rows = summaryTable(run).trim().split('\n');
    expect(rows).toHaveLength(2 + run.rounds.length);
    expect(rows[0]).toBe(
      '| round | P_m | trials | ticket: before training (%) | ticket: test acc @ES (%) | ticket: early stop | reinit: before training (%) | reinit: test acc @ES (%) | reinit: early stop | random: before training (%) | random: test acc @ES (%) | random: early stop | ticket − reinit @ES | ticket − random @ES |',
    );
    const cells = rows[3]!.split(' | ');
    const mean = (s: { mean: number | null; sd: number | null }) =>
      `${(100 * s.mean!).toFixed(2)} ± ${(100 * s.sd!).toFixed(2)}`;
    const summary = run.rounds[1]!.summary[0]!;
    expect(cells[3]).toBe(mean(summary.beforeTrainingTestAccuracy));
    expect(cells[4]).toBe(mean(summary.earlyStopTestAccuracy));
    // The before-training summary is over each trial's first point.
    expect(summary.beforeTrainingTestAccuracy.mean).toBeCloseTo(
      run.rounds[1]!.trials.reduce((a, t) => a + t.variants[0]!.curve[0]!.testAccuracy, 0) /
        run.rounds[1]!.trials.length,
      12,
    );
    // Every trial of the fixture lowers ticket and controls alike: the ticket is 1 pp ahead in
    // each seed, well inside what 200 test images can tell apart (±5.2 pp).
    expect(cells[12]).toBe('+1.00 ± 0.00 pp, 3/3 seeds (within noise)');
    expect(rows[2]).toMatch(/\| — \| — \|$/); // round 0: the ticket alone
  });
});
