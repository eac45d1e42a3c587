/**
 * A run's numbers as CSV (issue 4), for a spreadsheet or pandas: one file of curves (a row per
 * evaluation) and one of summaries (a row per variant and round). Numbers are printed in full
 * (String(x)), so nothing is lost to rounding; variant names are plain words, so nothing needs
 * quoting.
 */
import type { RoundResult } from '../engine/experiment';

const line = (cells: readonly (string | number)[]) => `${cells.map(String).join(',')}\n`;

export const CURVES_HEADER = [
  'round',
  'remaining',
  'variant',
  'iteration',
  'train_loss',
  'validation_loss',
  'validation_accuracy',
  'test_accuracy',
] as const;

export const SUMMARIES_HEADER = [
  'round',
  'remaining',
  'variant',
  'remaining_variant',
  'early_stop_iteration',
  'early_stop_test_accuracy',
  'early_stop_validation_accuracy',
  'final_test_accuracy',
  'round_wall_ms',
] as const;

/** Every curve point of every variant of every round; `remaining` is the round's P_m. */
export function curvesCsv(rounds: readonly RoundResult[]): string {
  let out = line(CURVES_HEADER);
  for (const r of rounds) {
    for (const v of r.variants) {
      for (const p of v.curve)
        out += line([
          r.round,
          r.remaining,
          v.variant,
          p.iteration,
          p.trainLoss,
          p.validationLoss,
          p.validationAccuracy,
          p.testAccuracy,
        ]);
    }
  }
  return out;
}

/**
 * A row per variant and round: its P_m, early stop and final accuracy; `round_wall_ms` is the whole
 * round's.
 */
export function summariesCsv(rounds: readonly RoundResult[]): string {
  let out = line(SUMMARIES_HEADER);
  for (const r of rounds) {
    for (const v of r.variants) {
      out += line([
        r.round,
        r.remaining,
        v.variant,
        v.remaining,
        v.earlyStop.iteration,
        v.earlyStop.testAccuracy,
        v.earlyStop.validationAccuracy,
        v.finalTestAccuracy,
        r.wallMs,
      ]);
    }
  }
  return out;
}
